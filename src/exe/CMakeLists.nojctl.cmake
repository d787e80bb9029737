noj_cc_binary(NAME nojctl SRCS ${CMAKE_CURRENT_SOURCE_DIR}/nojctl_main.cc
  DEPS noj_cli noj_runner_client_curl)
