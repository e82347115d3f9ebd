# vietllm: one entry point for newcomers and CI.
#   make run      install missing Debian packages, build, open the GUI on a demo project
#   make test     install missing Debian packages, build, run every test this machine can
#   make package  build the .deb and .tar.gz installers
#   make bench    throughput figures (see docs/benchmarks.md)
#   make format   clang-format every source file

BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
SAMPLE_DATA ?= $(abspath ../shared/data)
DEMO_PROJECT ?= $(BUILD_DIR)/demo/demo.vietllm
WERROR ?= ON
CMAKE_FLAGS ?=

DEB_PACKAGES := cmake ninja-build ccache pkg-config g++ \
	qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libgl-dev \
	libqcustomplot-dev libtorch-dev libopenblas0-pthread libsentencepiece-dev sentencepiece \
	libsqlite3-dev nlohmann-json3-dev libpcre2-dev libutf8proc-dev zlib1g-dev \
	libcurl4-openssl-dev libssl-dev libcpp-httplib-dev libgloo-dev \
	dpkg-dev file appstream desktop-file-utils clang-format

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps configure build run test package format clean demo bench

all: build

deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing missing Debian packages:" $$missing; \
		$(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	fi

$(BUILD_DIR)/build.ninja:
	$(MAKE) deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
		-DVIETLLM_WERROR=$(WERROR) -DVIETLLM_SAMPLE_DATA=$(SAMPLE_DATA) $(CMAKE_FLAGS)

configure: $(BUILD_DIR)/build.ninja

build: deps configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

demo: build
	@mkdir -p $(dir $(DEMO_PROJECT))
	@if [ ! -f $(DEMO_PROJECT) ]; then sh tools/make_demo_project.sh $(BUILD_DIR)/bin/vietllm-cli $(DEMO_PROJECT) $(SAMPLE_DATA); fi

run: demo
	$(BUILD_DIR)/bin/vietllm $(DEMO_PROJECT)

test: build
	cd $(BUILD_DIR) && QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j $(JOBS)

package: build
	cd $(BUILD_DIR) && cpack -G "DEB;TGZ"

format:
	find app backend widgets tests bench \( -name '*.cpp' -o -name '*.h' \) -print0 | xargs -0 clang-format -i

clean:
	rm -rf $(BUILD_DIR)

bench: build
	$(BUILD_DIR)/bin/vietllm-bench-text $(SAMPLE_DATA)
	$(BUILD_DIR)/bin/vietllm-bench-databuild $(SAMPLE_DATA)
	@echo "Data panel at 1M records (builds a 1M-record project once, ~8 min): $(BUILD_DIR)/bin/vietllm-bench-data-panel"
