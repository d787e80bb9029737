noj_cc_binary(NAME nojd SRCS ${CMAKE_CURRENT_SOURCE_DIR}/nojd_main.cc
  DEPS noj_server noj_server_http noj_dispatch_redis noj_store_factory noj_store_redis CLI11::CLI11)
