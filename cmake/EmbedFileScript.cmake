# Run by embed_text_file: writes the bytes of SOURCE as a hex array (no raw-string size limits,
# no delimiter clashes) into OUTPUT. Bytes are unsigned so UTF-8 text (>= 0x80) is no narrowing
# error.
file(READ ${SOURCE} content HEX)
string(LENGTH "${content}" hex_length)
math(EXPR byte_count "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${content}")
file(WRITE ${OUTPUT}
  "// Generated from ${SOURCE} by cmake/EmbedFileScript.cmake. Do not edit.\n"
  "#include <string_view>\n"
  "namespace ${NAMESPACE} {\n"
  "namespace {\n"
  "const unsigned char kBytes[] = {${bytes} 0};\n"
  "}  // namespace\n"
  "extern const std::string_view ${SYMBOL};\n"
  "const std::string_view ${SYMBOL}(reinterpret_cast<const char*>(kBytes), ${byte_count});\n"
  "}  // namespace ${NAMESPACE}\n")
