# SPDX-License-Identifier: GPL-2.0-or-later
# make            build build/pmemvm
# make check      unit tests, qtests and the CI subset of real-guest tests
# make check-unit / check-qtest / check-e2e (every real-guest scenario)
# make bench      pmemvm against QEMU 7.2, printed as ratios
# make check-asan unit tests and qtests built with gcc's ASan + UBSan
#                 (in build-asan, -Werror; any sanitizer finding fails)
# make fuzz       every libFuzzer target of tests/fuzz for FUZZ_SECONDS each
#                 (clang, ASan + UBSan, in build-fuzz)
BUILD ?= build
MESON_TEST = meson test -C $(BUILD) --no-rebuild --print-errorlogs
SUMMARY = python3 scripts/test-summary.py $(BUILD)/meson-logs/testlog.json

FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60

.PHONY: all check check-unit check-qtest check-e2e check-asan bench fuzz \
        clean distclean

all: $(BUILD)/build.ninja
	ninja -C $(BUILD)

$(BUILD)/build.ninja:
	./configure --builddir=$(BUILD)

check: all
	$(MESON_TEST) --suite unit --suite qtest --suite e2e-ci; rc=$$?; \
	$(SUMMARY); exit $$rc

check-unit: all
	$(MESON_TEST) --suite unit; rc=$$?; $(SUMMARY); exit $$rc

check-qtest: all
	$(MESON_TEST) --suite qtest; rc=$$?; $(SUMMARY); exit $$rc

check-e2e: all
	$(MESON_TEST) --suite e2e --timeout-multiplier 1; rc=$$?; \
	$(SUMMARY); exit $$rc

# The sanitizer build.  A finding ends the process that made it with an
# exit status of its own (ASan/LeakSanitizer 66, UBSan 67: never pmemvm's
# 1), so the test that started it fails whatever it expected; the report
# is in that test's log.  tests/lsan.supp says what is not ours.  Tests
# run 2-5 times slower under ASan (test-json's million-token and 64 MiB
# inputs: 37 s here on a busy machine, 8 s without): meson's time limits
# are four times the normal ones.
ASAN_BUILD ?= build-asan
SANITIZER_ENV = \
	ASAN_OPTIONS=exitcode=66:detect_leaks=1:check_initialization_order=1 \
	UBSAN_OPTIONS=exitcode=67:halt_on_error=1:print_stacktrace=1 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0

$(ASAN_BUILD)/build.ninja:
	CC=gcc ./configure --builddir=$(ASAN_BUILD) -Dwerror=true \
	    -Db_sanitize=address,undefined -Db_lundef=false -De2e_ci=false

check-asan: $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD)
	$(SANITIZER_ENV) meson test -C $(ASAN_BUILD) --no-rebuild \
	    --print-errorlogs --timeout-multiplier 4 --suite unit --suite qtest; \
	rc=$$?; \
	python3 scripts/test-summary.py $(ASAN_BUILD)/meson-logs/testlog.json; \
	exit $$rc

$(FUZZ_BUILD)/build.ninja:
	CC=clang ./configure --builddir=$(FUZZ_BUILD) -Dfuzzing=true \
	    -Db_sanitize=address,undefined -Db_lundef=false -De2e_ci=false

fuzz: $(FUZZ_BUILD)/build.ninja
	ninja -C $(FUZZ_BUILD)
	FUZZ_SECONDS=$(FUZZ_SECONDS) meson test -C $(FUZZ_BUILD) --no-rebuild \
	    --suite fuzz --print-errorlogs; rc=$$?; \
	python3 scripts/test-summary.py $(FUZZ_BUILD)/meson-logs/testlog.json; \
	exit $$rc

bench: all
	tests/bench/run.sh $(BUILD)/pmemvm

clean:
	if [ -f $(BUILD)/build.ninja ]; then ninja -C $(BUILD) clean; fi

distclean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
