// Addresses on screen: as on an envelope, one line under the other.
#pragma once

#include "domain/address.h"

#include <QString>

namespace waybill::app {

// "Acme\n1 Main St\nSuite 2\nSpringfield, IL 62701"; the second street line only when given.
QString addressText(const Address &address);

} // namespace waybill::app
