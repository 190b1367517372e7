// Waybill's own icon (resources/icons): the window's, and the one the desktop entry names.
#pragma once

#include <QIcon>

namespace waybill::app {

// Every size the hicolor theme gets, from the app's resources, so it shows the same without an
// icon theme or an SVG plugin.
QIcon applicationIcon();

} // namespace waybill::app
