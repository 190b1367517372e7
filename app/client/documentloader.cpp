#include "documentloader.h"

#include "apiclient.h"
#include "domain/invoicenumber.h"
#include "models/recordrows.h"

#include <QJsonArray>

namespace waybill::app {

namespace {

// The server's page size for a stream's events (docs/choices.md, "Lists and limits").
constexpr int kEventPage = 1000;

} // namespace

DocumentLoader::DocumentLoader(ApiClient *api, QObject *parent)
    : QObject(parent)
    , m_api(api)
{ }

QString DocumentLoader::errorOf(const ApiResult &result) const
{
    return result.errorText.isEmpty() ? tr("The server gave no answer.") : result.errorText;
}

void DocumentLoader::loadEvents(const QString &path, Events done, EventList sofar)
{
    if (!m_api)
        return;
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("limit"), QString::number(kEventPage));
    query.addQueryItem(QStringLiteral("offset"), QString::number(sofar.size()));
    m_api->get(path, query, this,
        [this, path, done = std::move(done), sofar = std::move(sofar)](
            const ApiResult &result) mutable {
            if (result.httpStatus == 404) {
                done({}, {}); // no such stream: the caller says what is missing
                return;
            }
            if (!result.ok()) {
                done({}, errorOf(result));
                return;
            }
            const QJsonArray page = result.array();
            for (const QJsonValue &value : page)
                sofar.append(eventFromJson(value.toObject()));
            if (page.size() < kEventPage)
                done(sofar, {});
            else
                loadEvents(path, std::move(done), std::move(sofar));
        });
}

void DocumentLoader::loadInvoiceNumbers(const QString &accountId, const EventList &accountEvents,
    std::function<void(const documents::InvoiceNumbers &, const QString &error)> done)
{
    if (!m_api)
        return;
    // The numbers the open items show, which the command line reads from the same table: never
    // the invoiced event's own text (an invoice recorded before numbers carries none). An account
    // has one invoice per shipment.
    m_api->get(
        ApiClient::pathOf({ QStringLiteral("accounts"), accountId, QStringLiteral("invoices") }),
        {}, this, [accountEvents, done = std::move(done), this](const ApiResult &result) {
            if (result.httpStatus == 404) {
                done({}, {}); // no such account: the caller says what is missing
                return;
            }
            if (!result.ok()) {
                done({}, errorOf(result));
                return;
            }
            QHash<QString, qint64> byShipment;
            for (const QJsonValue &value : result.array()) {
                const QJsonObject item = value.toObject();
                byShipment.insert(item.value(QStringLiteral("shipmentId")).toString(),
                    invoiceNumberOf(item.value(QStringLiteral("invoiceNumber")).toString()));
            }
            documents::InvoiceNumbers numbers;
            for (const RecordedEvent &e : accountEvents) {
                if (e.type == EventType::Invoiced)
                    numbers.insert(e.position,
                        byShipment.value(e.data.value(QStringLiteral("shipmentId")).toString()));
            }
            done(numbers, {});
        });
}

void DocumentLoader::finish(documents::PrintableDocument document, Done done)
{
    if (!m_api)
        return;
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("position"), QString::number(document.proof.position));
    m_api->get(QStringLiteral("/audit/proof"), query, this,
        [this, document = std::move(document), done = std::move(done)](
            const ApiResult &result) mutable {
            if (!result.ok()) {
                done(std::nullopt, errorOf(result));
                return;
            }
            document.proof.hash
                = result.object().value(QStringLiteral("hash")).toString().toLower();
            done(document, {});
        });
}

void DocumentLoader::loadInvoice(const QString &accountId, qint64 invoiceNumber, Done done)
{
    const QString accountPath
        = ApiClient::pathOf({ QStringLiteral("accounts"), accountId, QStringLiteral("events") });
    loadEvents(accountPath,
        [this, accountId, invoiceNumber, done = std::move(done)](
            const EventList &accountEvents, const QString &error) mutable {
            if (!error.isEmpty()) {
                done(std::nullopt, error);
                return;
            }
            loadInvoiceNumbers(accountId, accountEvents,
                [this, accountEvents, invoiceNumber, done = std::move(done)](
                    const documents::InvoiceNumbers &numbers, const QString &error) mutable {
                    if (!error.isEmpty()) {
                        done(std::nullopt, error);
                        return;
                    }
                    const auto invoice
                        = documents::findInvoice(accountEvents, invoiceNumber, numbers);
                    if (!invoice) {
                        done(std::nullopt,
                            tr("No invoice %1 on this account.")
                                .arg(invoiceNumberText(invoiceNumber)));
                        return;
                    }
                    loadEvents(ApiClient::pathOf({ QStringLiteral("shipments"), invoice->shipmentId,
                                   QStringLiteral("events") }),
                        [this, accountEvents, numbers, invoice = *invoice, done = std::move(done)](
                            const EventList &shipmentEvents, const QString &error) mutable {
                            if (!error.isEmpty()) {
                                done(std::nullopt, error);
                                return;
                            }
                            finish(documents::DocumentText::invoice(
                                       documents::invoiceDocument(
                                           invoice, accountEvents, shipmentEvents, numbers),
                                       documents::Company {}),
                                std::move(done));
                        });
                });
        });
}

void DocumentLoader::loadStatement(
    const QString &accountId, const QDate &from, const QDate &to, Done done)
{
    loadEvents(
        ApiClient::pathOf({ QStringLiteral("accounts"), accountId, QStringLiteral("events") }),
        [this, accountId, from, to, done = std::move(done)](
            const EventList &accountEvents, const QString &error) mutable {
            if (!error.isEmpty()) {
                done(std::nullopt, error);
                return;
            }
            loadInvoiceNumbers(accountId, accountEvents,
                [this, accountId, accountEvents, from, to, done = std::move(done)](
                    const documents::InvoiceNumbers &numbers, const QString &error) mutable {
                    if (!error.isEmpty()) {
                        done(std::nullopt, error);
                        return;
                    }
                    const auto statement = documents::statementDocument(accountEvents,
                        documents::startOfDay(from), documents::endOfDay(to), numbers);
                    if (!statement) {
                        done(std::nullopt,
                            tr("Account %1 has no entries up to %2.")
                                .arg(accountId, to.toString(Qt::ISODate)));
                        return;
                    }
                    finish(documents::DocumentText::statement(*statement, documents::Company {}),
                        std::move(done));
                });
        });
}

void DocumentLoader::loadBillOfLading(const QString &shipmentId, Done done)
{
    loadEvents(
        ApiClient::pathOf({ QStringLiteral("shipments"), shipmentId, QStringLiteral("events") }),
        [this, shipmentId, done = std::move(done)](
            const EventList &events, const QString &error) mutable {
            if (!error.isEmpty()) {
                done(std::nullopt, error);
                return;
            }
            const auto bill = documents::billOfLadingDocument(events);
            if (!bill) {
                done(std::nullopt, tr("No shipment %1.").arg(shipmentId));
                return;
            }
            finish(documents::DocumentText::billOfLading(*bill, documents::Company {}),
                std::move(done));
        });
}

} // namespace waybill::app
