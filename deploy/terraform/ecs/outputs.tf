output "cluster_name" {
  value = aws_ecs_cluster.main.name
}

output "alb_dns_name" {
  value = aws_lb.main.dns_name
}

output "service_names" {
  value = { for k, s in aws_ecs_service.role : k => s.name }
}

output "task_definition_families" {
  value = { for k, t in aws_ecs_task_definition.role : k => t.family }
}

# CD runs this before updating the services, waits for the task to stop and checks its exit code.
output "migrate_command" {
  value = join(" ", [
    "aws ecs run-task --cluster", aws_ecs_cluster.main.name,
    "--launch-type FARGATE --task-definition", aws_ecs_task_definition.role["migrate"].family,
    "--network-configuration",
    "'awsvpcConfiguration={subnets=[${join(",", var.private_subnet_ids)}],securityGroups=[${aws_security_group.tasks.id}],assignPublicIp=DISABLED}'",
  ])
}
