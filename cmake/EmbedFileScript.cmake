# Run by embed_text_file: writes the bytes of SOURCE as a hex array (no raw-string size limits,
# no delimiter clashes) into OUTPUT.
file(READ ${SOURCE} content HEX)
string(LENGTH "${content}" hex_length)
math(EXPR byte_count "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${content}")
file(WRITE ${OUTPUT}
  "// Generated from ${SOURCE} by cmake/EmbedFileScript.cmake. Do not edit.\n"
  "#include <string_view>\n"
  "namespace ${NAMESPACE} {\n"
  "namespace {\n"
  "const char kBytes[] = {${bytes} 0};\n"
  "}  // namespace\n"
  "extern const std::string_view ${SYMBOL};\n"
  "const std::string_view ${SYMBOL}(kBytes, ${byte_count});\n"
  "}  // namespace ${NAMESPACE}\n")
