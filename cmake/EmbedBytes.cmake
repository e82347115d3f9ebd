# cmake -DINPUT=file -DOUTPUT=file.inc -P EmbedBytes.cmake
# Writes the bytes of INPUT as a comma-separated list of char literals, to be included inside
# `constexpr char name[] = { #include "file.inc" };`. Used for data the binaries must carry
# (the toxicity lexicon), so that they never look for files at run time.
if(NOT INPUT OR NOT OUTPUT)
  message(FATAL_ERROR "EmbedBytes.cmake needs -DINPUT=... and -DOUTPUT=...")
endif()
file(READ "${INPUT}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
string(REGEX REPLACE "(('\\\\x[0-9a-f][0-9a-f]',){16})" "\\1\n" bytes "${bytes}")
file(WRITE "${OUTPUT}.tmp" "// Generated from ${INPUT} by cmake/EmbedBytes.cmake; do not edit.\n${bytes}\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
