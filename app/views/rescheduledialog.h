// A new pickup or delivery window for a shipment (Customer Service or Dispatch): the windows it
// has now, to change; the pickup only until it is shipped. Sent with the version shown (If-Match),
// with an optional reason for the history.
#pragma once

#include "client/commandsender.h"
#include "domain/shipment.h"

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace waybill::app {

class Session;
class WindowEdit;

class RescheduleDialog final : public QDialog
{
    Q_OBJECT
public:
    RescheduleDialog(Session *session, const ShipmentState &shipment, QWidget *parent = nullptr);

    WindowEdit *pickupWindow() const { return m_pickup; }
    WindowEdit *deliveryWindow() const { return m_delivery; }
    QLineEdit *reasonField() const { return m_reason; }
    QString errorText() const;
    std::optional<int> expectedVersion() const { return m_expectedVersion; }
    void submit();

Q_SIGNALS:
    void succeeded(const QString &message);

private:
    void showProblem(const QString &problem);
    void onResult(const CommandResult &result, const CommandRequest &request);

    Session *m_session;
    ShipmentState m_shipment;
    std::optional<int> m_expectedVersion;
    WindowEdit *m_pickup;
    WindowEdit *m_delivery;
    QLineEdit *m_reason;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
};

} // namespace waybill::app
