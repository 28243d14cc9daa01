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
