# noj-sandbox runs once per compile and per test case, so its start-up is part of every run:
# it is linked fully static (dynamic libstdc++ alone costs ~0.7 ms per exec on our machines,
# docs/sandbox.md). The static archives are listed directly, not as targets, so the shared
# libraries noj_common brings for other programs (OpenSSL, Boost.JSON, libzip...) stay off
# the link line; only what noj-sandbox references is linked.
add_executable(noj-sandbox ${CMAKE_CURRENT_SOURCE_DIR}/noj_sandbox_main.cc)
noj_apply_options(noj-sandbox)
target_include_directories(noj-sandbox PRIVATE ${PROJECT_SOURCE_DIR}/src)
if(NOJ_SANITIZE)
  target_link_libraries(noj-sandbox PRIVATE noj_sandbox_jail)
else()
  add_dependencies(noj-sandbox noj_sandbox_jail noj_sandbox noj_sandbox_sys noj_common)
  target_link_libraries(noj-sandbox PRIVATE -static
    $<TARGET_FILE:noj_sandbox_jail> $<TARGET_FILE:noj_sandbox> $<TARGET_FILE:noj_sandbox_sys>
    $<TARGET_FILE:noj_common>)
endif()
