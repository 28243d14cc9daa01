#include "app/platform/glx_present.h"

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <X11/Xlib.h>

// glfw3native.h would declare these but needs Xrandr's headers; GLFW 3.3 exports them.
extern "C" {
GLFWAPI Display* glfwGetX11Display(void);
GLFWAPI XID glfwGetGLXWindow(GLFWwindow* window);
}

namespace kyodo::app {

GlxPresenter::GlxPresenter(GLFWwindow* window) : window_(window) {
    if (glfwExtensionSupported("GLX_MESA_copy_sub_buffer"))
        copy_ = glfwGetProcAddress("glXCopySubBufferMESA");
}

void GlxPresenter::copy(int x, int y, int w, int h) const {
    using CopySubBuffer = void (*)(Display*, XID, int, int, int, int);
    if (copy_ && w > 0 && h > 0)
        reinterpret_cast<CopySubBuffer>(copy_)(glfwGetX11Display(), glfwGetGLXWindow(window_), x, y, w, h);
}

}  // namespace kyodo::app
