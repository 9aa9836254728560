# The README's two commands are `make demo` and `make test`; the rest are parts of them.
SHELL := /bin/bash
VENV := .venv/bin
export ANSIBLE_COLLECTIONS_PATH := $(CURDIR)/build/collections

.PHONY: demo test setup unit emulator-tests integration quality molecule sanity lint bench emulator clean

demo: setup  ## respond.yml against the bundled emulator, from nothing; KEEP=1 leaves the emulator running
	$(VENV)/python tools/demo.py $(if $(KEEP),--keep)

test: setup  ## every test: emulator, unit, integration, runbooks, molecule, sanity, lint, docs, build
	$(VENV)/python -m pytest $(PYTEST_ARGS)

setup:
	@bash tools/setup.sh

emulator-tests: setup
	$(VENV)/python -m pytest tests/emulator $(PYTEST_ARGS)

unit: setup
	$(VENV)/python -m pytest tests/unit $(PYTEST_ARGS)

integration: setup
	$(VENV)/python -m pytest tests/integration $(PYTEST_ARGS)

quality: setup  ## sanity, lint, ansible-doc, changelog, build
	$(VENV)/python -m pytest tests/quality $(PYTEST_ARGS)

molecule: setup
	bash tools/molecule.sh

bench: setup  ## emulator and collection benchmarks (not timed tests)
	PYTHONPATH=tests $(VENV)/python tests/benchmarks/emulator_bench.py
	PYTHONPATH=tests:build/collections $(VENV)/python tests/benchmarks/collection_bench.py
	PYTHONPATH=tests:build/collections $(VENV)/python tests/benchmarks/eda_bench.py
	PYTHONPATH=tests:build/collections $(VENV)/python tests/benchmarks/playbook_bench.py

PORT ?= 0
emulator: setup  ## the emulator by hand with the demo data: PORT=8080 (default a free port), LOG=1 prints requests
	PYTHONPATH=tests $(VENV)/python -m emulator --port $(PORT) --api-key $${UTMSTACK_API_KEY:-demo-key} --seed demo $(if $(LOG),--log-requests)

clean:
	rm -rf build dist tests/output

.PHONY: changelog
changelog: setup  ## write the release of galaxy.yml's version into changelogs/changelog.yaml and CHANGELOG.rst
	PATH=$(CURDIR)/.venv/bin:$$PATH $(VENV)/antsibull-changelog release --version $$($(VENV)/python -c 'import yaml; print(yaml.safe_load(open("galaxy.yml"))["version"])') \
		--update-existing --refresh-fragments without-archives

.PHONY: ee
ee: setup  ## execution environment build context in build/ee/context (building the image needs podman or docker)
	mkdir -p build/ee
	$(VENV)/ansible-galaxy collection build --force --output-path build/ee
	cp build/ee/utmstack-soc-$$($(VENV)/python -c 'import yaml; print(yaml.safe_load(open("galaxy.yml"))["version"])').tar.gz build/ee/utmstack-soc.tar.gz
	$(VENV)/ansible-builder create -f extensions/ee/execution-environment.yml --context build/ee/context --output-filename Containerfile

# awx.awx for extensions/awx/setup.yml (ansible-lint, syntax checks). Galaxy may be out of reach,
# so it comes from the ansible 10 package on PyPI, which bundles awx.awx 24.6.1 (awxkit not needed).
AWX_COLLECTIONS := build/awx-collections
.PHONY: awx-collection
awx-collection: $(AWX_COLLECTIONS)/ansible_collections/awx/awx/MANIFEST.json  ## awx.awx into build/awx-collections, linked into build/collections
	mkdir -p build/collections/ansible_collections
	ln -sfn ../../awx-collections/ansible_collections/awx build/collections/ansible_collections/awx

$(AWX_COLLECTIONS)/ansible_collections/awx/awx/MANIFEST.json:
	rm -rf build/awx-download
	$(VENV)/pip download -q --no-deps --disable-pip-version-check ansible==10.7.0 -d build/awx-download 2>&1 | grep -v "is ignored" || true
	$(VENV)/python -c "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); \
		z.extractall(sys.argv[2], [n for n in z.namelist() if n.startswith('ansible_collections/awx/awx/')])" \
		build/awx-download/ansible-10.7.0-py3-none-any.whl $(AWX_COLLECTIONS)
	rm -rf build/awx-download

.PHONY: matrix
matrix: setup  ## every claimed ansible-core (meta/runtime.yml to 2.21): sanity and respond.yml, each in its own venv
	$(VENV)/python -m pytest tests/quality/test_matrix.py $(PYTEST_ARGS)

.PHONY: docs
docs: setup  ## the docs site (antsibull-docs, Sphinx) in build/docs/html, offline, warnings as errors
	$(VENV)/python tests/quality/build_docs.py
