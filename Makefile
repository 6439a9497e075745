# The two commands of the README. Everything else lives in scripts/.
.PHONY: run test build

run:
	./scripts/run.sh

test:
	./scripts/test.sh

build:
	./scripts/setup.sh debug
