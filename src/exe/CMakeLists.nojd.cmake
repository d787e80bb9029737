noj_cc_binary(NAME nojd SRCS ${CMAKE_CURRENT_SOURCE_DIR}/nojd_main.cc
  DEPS noj_server noj_store_factory CLI11::CLI11)
