# The dashboard, public pages and admin storage (server/web/, docs/dashboard.md), built into
# kyodo_server_lib. The stylesheet in static/ is embedded at configure time, so the server
# serves it without reading files at run time; editing it re-runs CMake.
file(GLOB KYODO_WEB_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/*.cpp)
set(_kyodo_css ${CMAKE_CURRENT_LIST_DIR}/static/dashboard.css)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_kyodo_css})
file(READ ${_kyodo_css} _kyodo_css_text)
set(_kyodo_css_cpp ${CMAKE_CURRENT_BINARY_DIR}/web_stylesheet.cpp)
file(CONFIGURE OUTPUT ${_kyodo_css_cpp} CONTENT
"// Generated from server/web/static/dashboard.css by server/web/web.cmake. Do not edit.
namespace kyodo::server::web {
extern const char* const kStylesheet;
const char* const kStylesheet = R\"kyodocss(@_kyodo_css_text@)kyodocss\";
}
" @ONLY)
target_sources(kyodo_server_lib PRIVATE ${KYODO_WEB_SOURCES} ${CMAKE_CURRENT_LIST_DIR}/../sqlite_storage_admin.cpp
               ${_kyodo_css_cpp})

# The dashboard's and public pages' words (server/web/text.h): every
# assets/i18n/dashboard/<lang>/<area>.json, embedded the same way (the shared vocabulary comes
# from kyodo_core, core/vocabulary.h). Adding or editing a table re-runs CMake.
set(_kyodo_i18n ${CMAKE_CURRENT_LIST_DIR}/../../assets/i18n)
file(GLOB _kyodo_text_files CONFIGURE_DEPENDS ${_kyodo_i18n}/dashboard/*/*.json)
set(_kyodo_text_entries "")
set(_kyodo_text_all ${_kyodo_text_files})
list(SORT _kyodo_text_all)
foreach(_f ${_kyodo_text_all})
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_f})
  file(READ ${_f} _text)
  get_filename_component(_name ${_f} NAME)
  get_filename_component(_dir ${_f} DIRECTORY)
  get_filename_component(_lang ${_dir} NAME)
  set(_name "dashboard/${_name}")
  string(APPEND _kyodo_text_entries "    {\"${_lang}\", \"${_name}\", R\"kyodotext(${_text})kyodotext\"},\n")
endforeach()
set(_kyodo_text_cpp ${CMAKE_CURRENT_BINARY_DIR}/web_text_tables.cpp)
file(CONFIGURE OUTPUT ${_kyodo_text_cpp} CONTENT
"// Generated from assets/i18n/dashboard/*/*.json by server/web/web.cmake. Do not edit.
#include \"server/web/text.h\"
namespace kyodo::server::web {
extern const EmbeddedTable kEmbeddedTables[];
extern const std::size_t kEmbeddedTableCount;
const EmbeddedTable kEmbeddedTables[] = {
@_kyodo_text_entries@};
const std::size_t kEmbeddedTableCount = sizeof kEmbeddedTables / sizeof kEmbeddedTables[0];
}
" @ONLY)
target_sources(kyodo_server_lib PRIVATE ${_kyodo_text_cpp})
