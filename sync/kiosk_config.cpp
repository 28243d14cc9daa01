// KioskConfig load/save (filled in next).
#include "sync/kiosk_config.h"
