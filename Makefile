.PHONY: run test ci
run:
	./haven.sh run
test:
	./haven.sh test
ci:
	bash .ci/run
