// A new pickup or delivery window for a shipment (Customer Service or Dispatch): the windows it
// has now, to change; the pickup only until it is shipped. Sent with the version shown (If-Match),
// with an optional reason for the history.
#pragma once

#include "commandform.h"
#include "domain/shipment.h"

class QLineEdit;

namespace waybill::app {

class WindowEdit;

class RescheduleDialog final : public CommandForm
{
    Q_OBJECT
public:
    RescheduleDialog(Session *session, const ShipmentState &shipment, QWidget *parent = nullptr);

    WindowEdit *pickupWindow() const { return m_pickup; }
    WindowEdit *deliveryWindow() const { return m_delivery; }
    QLineEdit *reasonField() const { return m_reason; }
    void submit() override;

private:
    ShipmentState m_shipment;
    WindowEdit *m_pickup;
    WindowEdit *m_delivery;
    QLineEdit *m_reason;
};

} // namespace waybill::app
