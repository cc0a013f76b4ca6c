#ifndef TIPLINE_CLIBFUZZER_SHIM_H
#define TIPLINE_CLIBFUZZER_SHIM_H

#include <stddef.h>
#include <stdint.h>

// libFuzzer's driver entry (compiler-rt, linked by -sanitize=fuzzer). SwiftPM links executables
// with `--defsym main=<module>_main`, which hides libFuzzer's own `main`, so the Swift `main`
// calls the driver itself. Declared only: nothing links unless the build is a fuzzing build.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
