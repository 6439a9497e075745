// Renders /api/v1/openapi.json as a readable page: operations, parameters, bodies, responses, schemas.
(function () {
  "use strict";
  const root = document.getElementById("docs");

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    for (const child of [].concat(children || [])) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function refName(schema) {
    return schema && schema.$ref ? schema.$ref.split("/").pop() : null;
  }

  function typeOf(schema) {
    if (!schema) return "";
    const ref = refName(schema);
    if (ref) return ref;
    if (schema.oneOf || schema.anyOf) return (schema.oneOf || schema.anyOf).map(typeOf).join(" | ");
    if (schema.type === "array") return "array of " + typeOf(schema.items);
    if (Array.isArray(schema.type)) return schema.type.join(" | ");
    if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
    return schema.type || "object";
  }

  function schemaTable(schema) {
    const props = (schema && schema.properties) || {};
    const required = new Set((schema && schema.required) || []);
    const rows = Object.entries(props).map(([name, prop]) =>
      el("tr", {}, [
        el("td", {}, el("code", {}, name + (required.has(name) ? " *" : ""))),
        el("td", {}, typeOf(prop)),
        el("td", {}, prop.description || ""),
      ]));
    if (!rows.length) return el("p", {}, typeOf(schema));
    return el("table", {}, [el("tr", {}, [el("th", {}, "Field"), el("th", {}, "Type"), el("th", {}, "Description")]), ...rows]);
  }

  function operation(path, method, op) {
    const parts = [el("p", {}, op.description || "")];
    if (op.parameters && op.parameters.length) {
      parts.push(el("h4", {}, "Parameters"));
      parts.push(el("table", {}, op.parameters.map((p) =>
        el("tr", {}, [el("td", {}, el("code", {}, p.name)), el("td", {}, p.in), el("td", {}, typeOf(p.schema)), el("td", {}, p.description || "")]))));
    }
    if (op.requestBody) {
      parts.push(el("h4", {}, "Request body"));
      for (const [type, media] of Object.entries(op.requestBody.content || {})) {
        parts.push(el("p", {}, el("code", {}, type)));
        parts.push(schemaTable(media.schema));
      }
    }
    parts.push(el("h4", {}, "Responses"));
    parts.push(el("table", {}, Object.entries(op.responses || {}).map(([status, response]) => {
      const media = Object.entries(response.content || {})[0];
      return el("tr", {}, [el("td", {}, el("code", {}, status)), el("td", {}, response.description || ""),
        el("td", {}, media ? media[0] + " " + typeOf(media[1].schema) : "")]);
    })));
    return el("details", { class: "operation" }, [
      el("summary", {}, [el("span", { class: "method " + method }, method), " ", el("code", {}, path), " — ", op.summary || ""]),
      ...parts,
    ]);
  }

  fetch("/api/v1/openapi.json").then((r) => r.json()).then((spec) => {
    root.replaceChildren();
    root.append(el("p", {}, (spec.info && spec.info.description) || ""));
    root.append(el("h2", {}, "Operations"));
    for (const [path, item] of Object.entries(spec.paths || {})) {
      for (const method of ["get", "post", "put", "patch", "delete"]) {
        if (item[method]) root.append(operation(path, method, item[method]));
      }
    }
    root.append(el("h2", {}, "Schemas"));
    for (const [name, schema] of Object.entries((spec.components && spec.components.schemas) || {})) {
      root.append(el("details", { class: "operation" }, [el("summary", {}, name), el("p", {}, schema.description || ""), schemaTable(schema)]));
    }
  }).catch((error) => {
    root.replaceChildren(el("p", {}, "Could not load the API description: " + error));
  });
})();
