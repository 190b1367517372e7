// Customer Service's correction of a shipment not yet on the road: weight, bill-to account,
// addresses and pickup and delivery windows, with the reason, and the price it will have afterwards
// shown before it is sent. Sent with the version shown (If-Match); only what changed goes.
#pragma once

#include "commandform.h"
#include "domain/shipment.h"

#include <QTimer>

class QLabel;
class QLineEdit;

namespace waybill::app {

class AddressForm;
class QuoteService;
class WindowEdit;

class AmendDialog final : public CommandForm
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
    void submit() override;

Q_SIGNALS:
    // The preview was computed (tests wait for it).
    void previewUpdated();

private:
    // The changes typed so far (no reason), or empty with the problem.
    std::optional<QJsonObject> changes(QString *problem) const;
    void updatePreview();
    // Asks the server for the price after the amendment (once the typing pauses).
    void requestQuote();

    ShipmentState m_shipment;
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
    quint64 m_previewGeneration = 0;
    QTimer m_quoteDelay;
};

} // namespace waybill::app
