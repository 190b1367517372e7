#include "appicon.h"

namespace waybill::app {

QIcon applicationIcon()
{
    QIcon icon;
    for (int size : { 16, 22, 24, 32, 48, 64, 128, 256 })
        icon.addFile(
            QStringLiteral(":/icons/hicolor/%1x%1/waybill.png").arg(size), QSize(size, size));
    return icon;
}

} // namespace waybill::app
