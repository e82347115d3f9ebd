# Strict warnings for every target of ours; -Werror when VIETLLM_WERROR is ON (CI and `make test`).
function(vietllm_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
    -Wcast-align -Woverloaded-virtual -Wnull-dereference -Wformat=2 -Wimplicit-fallthrough)
  if(VIETLLM_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# Fails the configure step when a backend source includes a Qt header: backend/ must build
# on GPU servers that have no Qt at all.
function(vietllm_assert_no_qt_includes)
  foreach(source IN LISTS ARGN)
    file(STRINGS "${source}" qt_lines REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]Q[A-Za-z]*[>/\"]")
    if(qt_lines)
      message(FATAL_ERROR "${source}: backend/ must not include Qt headers: ${qt_lines}")
    endif()
  endforeach()
endfunction()
