# Build helpers: one warning set, applied per target (never via CMAKE_CXX_FLAGS).
function(noj_apply_options target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
  # The lock annotations of common/thread_annotations.h are checked wherever clang builds (the fuzz
  # lane of scripts/test.sh); g++ ignores them.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    target_compile_options(${target} PRIVATE -Wthread-safety)
  endif()
  if(NOJ_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(NOJ_SANITIZE)
    # GCC's "undefined" leaves out float-cast-overflow (clang's includes it): an out-of-range
    # double-to-integer conversion went unnoticed by the GCC lane until the clang fuzzer hit it.
    set(ubsan undefined,float-cast-overflow)
    target_compile_options(${target} PRIVATE -fsanitize=address,${ubsan} -fno-omit-frame-pointer
                                             -fno-sanitize-recover=${ubsan})
    target_link_options(${target} PRIVATE -fsanitize=address,${ubsan})
  endif()
  # libFuzzer build (clang only, fuzz/): every project target gets coverage instrumentation; the
  # fuzz binaries add -fsanitize=fuzzer themselves. clang 14 lacks what libstdc++ 12 needs for
  # std::source_location, so those builds force-include a stand-in (fuzz/compat/).
  if(NOJ_BUILD_FUZZ)
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link)
    if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 15)
      target_compile_options(${target} PRIVATE
        "SHELL:-include ${PROJECT_SOURCE_DIR}/fuzz/compat/source_location.h")
    endif()
  endif()
endfunction()

# noj_cc_library(NAME name SRCS ... DEPS ...)
function(noj_cc_library)
  cmake_parse_arguments(A "" "NAME" "SRCS;DEPS" ${ARGN})
  add_library(${A_NAME} STATIC ${A_SRCS})
  target_include_directories(${A_NAME} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${A_NAME} PUBLIC ${A_DEPS})
  noj_apply_options(${A_NAME})
endfunction()

# noj_cc_binary(NAME name SRCS ... DEPS ...)
function(noj_cc_binary)
  cmake_parse_arguments(A "" "NAME" "SRCS;DEPS" ${ARGN})
  add_executable(${A_NAME} ${A_SRCS})
  target_link_libraries(${A_NAME} PRIVATE ${A_DEPS})
  noj_apply_options(${A_NAME})
endfunction()

# noj_cc_test(NAME name SRCS ... DEPS ... [LABELS ...] [TIMEOUT s] [RESOURCE_LOCK name])
# RESOURCE_LOCK: the suite's tests share something fixed (e.g. the sandbox box ids they use), so
# ctest -j runs none of them at the same time as another test holding the same lock.
function(noj_cc_test)
  cmake_parse_arguments(A "" "NAME;TIMEOUT;RESOURCE_LOCK" "SRCS;DEPS;LABELS" ${ARGN})
  if(NOT A_TIMEOUT)
    set(A_TIMEOUT 120)
  endif()
  if(NOT A_LABELS)
    set(A_LABELS unit)
  endif()
  add_executable(${A_NAME} ${A_SRCS})
  target_include_directories(${A_NAME} PRIVATE ${PROJECT_SOURCE_DIR}/test ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${A_NAME} PRIVATE ${A_DEPS} GTest::gmock GTest::gtest_main)
  noj_apply_options(${A_NAME})
  set(lock)
  if(A_RESOURCE_LOCK)
    set(lock RESOURCE_LOCK ${A_RESOURCE_LOCK})
  endif()
  # LABELS last: gtest_discover_tests (CMake 3.25) flattens a list value into the generated
  # set_tests_properties, so only the first label reaches ctest and whatever followed it was
  # read as pairs of the remaining words. Everything else goes before it.
  gtest_discover_tests(${A_NAME} DISCOVERY_MODE PRE_TEST
                       PROPERTIES ${lock} TIMEOUT ${A_TIMEOUT} LABELS ${A_LABELS})
  # The sanitizer lane of scripts/test.sh builds and runs the fast, process-free suites only.
  if(A_LABELS MATCHES "unit|contract|store")
    if(NOT TARGET noj_unit_tests)
      add_custom_target(noj_unit_tests)
    endif()
    add_dependencies(noj_unit_tests ${A_NAME})
  endif()
endfunction()
