# embed_text_file(OUT_CC SOURCE NAMESPACE SYMBOL)
# Generates a .cc defining `extern const std::string_view SYMBOL` in NAMESPACE holding the
# file's bytes, so data files (value sets, default config, admin page) are built into the binary
# while staying plain files in the repository. The file is re-embedded whenever it changes.
function(embed_text_file out_cc source namespace symbol)
  get_filename_component(name ${source} NAME)
  set(generated ${CMAKE_CURRENT_BINARY_DIR}/embedded_${symbol}.cc)
  add_custom_command(
    OUTPUT ${generated}
    COMMAND ${CMAKE_COMMAND} -DSOURCE=${source} -DOUTPUT=${generated}
            -DNAMESPACE=${namespace} -DSYMBOL=${symbol}
            -P ${PROJECT_SOURCE_DIR}/cmake/EmbedFileScript.cmake
    DEPENDS ${source} ${PROJECT_SOURCE_DIR}/cmake/EmbedFileScript.cmake
    COMMENT "Embedding ${name}"
    VERBATIM)
  set(${out_cc} ${generated} PARENT_SCOPE)
endfunction()
