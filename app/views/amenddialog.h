// Customer Service's correction of a shipment not yet on the road: weight, bill-to account,
// addresses and pickup and delivery windows, with the reason, and the price it will have afterwards
// shown before it is sent. Sent with the version shown (If-Match); only what changed goes.
#pragma once

#include "client/commandsender.h"
#include "domain/shipment.h"

#include <QDialog>
#include <QTimer>

class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace waybill::app {

class AddressForm;
class QuoteService;
class Session;
class WindowEdit;

class AmendDialog final : public QDialog
{
    Q_OBJECT
public:
    AmendDialog(Session *session, const ShipmentState &shipment, QWidget *parent = nullptr);

    QLineEdit *weightField() const { return m_weight; }
    QLineEdit *accountField() const { return m_account; }
    // The accessorial codes the shipment is to have ("liftgate, residential"); all of them.
    QLineEdit *accessorialsField() const { return m_accessorials; }
    QLineEdit *reasonField() const { return m_reason; }
    AddressForm *shipFrom() const { return m_from; }
    AddressForm *shipTo() const { return m_to; }
    WindowEdit *pickupWindow() const { return m_pickup; }
    WindowEdit *deliveryWindow() const { return m_delivery; }
    // The re-price preview: the cost now and after the amendment.
    QString previewText() const;
    QString errorText() const;
    std::optional<int> expectedVersion() const { return m_expectedVersion; }
    void submit();

Q_SIGNALS:
    void succeeded(const QString &message);
    // The preview was computed (tests wait for it).
    void previewUpdated();

private:
    // The changes typed so far (no reason), or empty with the problem.
    std::optional<QJsonObject> changes(QString *problem) const;
    void updatePreview();
    // Asks the server for the price after the amendment (once the typing pauses).
    void requestQuote();
    void showProblem(const QString &problem);
    void onResult(const CommandResult &result, const CommandRequest &request);

    Session *m_session;
    ShipmentState m_shipment;
    std::optional<int> m_expectedVersion;
    QuoteService *m_quotes;
    QLineEdit *m_weight;
    QLineEdit *m_account;
    QLineEdit *m_accessorials;
    AddressForm *m_from;
    AddressForm *m_to;
    WindowEdit *m_pickup;
    WindowEdit *m_delivery;
    QLineEdit *m_reason;
    QLabel *m_preview;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
    quint64 m_previewGeneration = 0;
    QTimer m_quoteDelay;
};

} // namespace waybill::app
