// Presenting part of a frame on X11 + GLX: glXCopySubBufferMESA (GLX_MESA_copy_sub_buffer)
// copies a rectangle of the back buffer to the window and leaves the back buffer as it is,
// so the next frame draws only what changed over the last one (app/ui/damage.h). Mesa has
// it in every driver, including llvmpipe under Xvfb; other GLX drivers may not.
// Kept apart from glfw_platform.cpp: Xlib's macros (None, Bool, Status …) stay in this file.
#pragma once

struct GLFWwindow;

namespace kyodo::app {

class GlxPresenter {
public:
    // With `window`'s context current. available() tells whether the extension is there.
    explicit GlxPresenter(GLFWwindow* window);
    bool available() const { return copy_ != nullptr; }
    // Copies the back buffer's rectangle (GL coordinates: bottom-left origin) to the window.
    void copy(int x, int y, int w, int h) const;

private:
    GLFWwindow* window_;
    void (*copy_)() = nullptr;   // glXCopySubBufferMESA (its real type in glx_present.cpp)
};

}  // namespace kyodo::app
