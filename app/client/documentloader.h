// Reads what a printed document reflects from the server (the account's and the shipment's events,
// then the hash of the last one from GET /audit/proof) and folds it with the same code as
// `waybill-server document` (documents/), so the desktop and the command line print the same.
#pragma once

#include "documents/documenttext.h"

#include <QDate>
#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

namespace waybill::app {

class ApiClient;
struct ApiResult;

class DocumentLoader final : public QObject
{
    Q_OBJECT
public:
    // The document, or nothing with what went wrong in words for the clerk.
    using Done = std::function<void(
        const std::optional<documents::PrintableDocument> &document, const QString &error)>;

    explicit DocumentLoader(ApiClient *api, QObject *parent = nullptr);

    void loadInvoice(const QString &accountId, qint64 invoiceNumber, Done done);
    // The statement of the days from `from` to `to` (inclusive, UTC).
    void loadStatement(const QString &accountId, const QDate &from, const QDate &to, Done done);
    void loadBillOfLading(const QString &shipmentId, Done done);

private:
    using Events = std::function<void(const EventList &events, const QString &error)>;
    // A stream's events, every page of them.
    void loadEvents(const QString &path, Events done, EventList sofar = {});
    // The numbers of an account's invoices (GET /accounts/{id}/invoices), by their events'
    // positions.
    void loadInvoiceNumbers(const QString &accountId, const EventList &accountEvents,
        std::function<void(const documents::InvoiceNumbers &, const QString &error)> done);
    // Looks up the hash of the document's proof, then hands it over.
    void finish(documents::PrintableDocument document, Done done);
    QString errorOf(const ApiResult &result) const;

    QPointer<ApiClient> m_api;
};

} // namespace waybill::app
