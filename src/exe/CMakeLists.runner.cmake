noj_cc_binary(NAME noj-runner SRCS ${CMAKE_CURRENT_SOURCE_DIR}/noj_runner_main.cc
  DEPS noj_runner_lib noj_runner_client_curl)
