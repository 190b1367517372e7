#include "documentcommands.h"

#include "console.h"
#include "documents/documentpages.h"
#include "domain/ids.h"
#include "domain/invoicenumber.h"
#include "exitcodes.h"
#include "store/readmodels.h"

#include <QCoreApplication>

namespace waybill::cli {

namespace {

constexpr int kPage = 1000;

// A stream's events, page by page, as GET /{kind}/{id}/events reads them.
EventList streamEvents(const QSqlDatabase &db, const QString &streamId)
{
    EventList all;
    for (int version = 0;;) {
        const EventList page = ReadModels::streamPage(db, streamId, version, kPage);
        all += page;
        if (page.size() < kPage)
            return all;
        version = page.last().version;
    }
}

// The documents must say what the log says at one moment: every stream is read in one snapshot.
std::optional<documents::PrintableDocument> buildDocument(
    Database &database, const CommandLine &commandLine, const documents::Company &company)
{
    using namespace documents;
    ReadTransaction tx(database);
    const QSqlDatabase &db = tx.db();
    switch (commandLine.documentKind) {
    case DocumentKind::Invoice: {
        const auto record = ReadModels::findInvoice(db, commandLine.invoiceNumber);
        if (!record)
            return std::nullopt;
        const EventList accountEvents = streamEvents(db, accountStreamId(record->accountId));
        const InvoiceNumbers numbers = ReadModels::invoiceNumbers(db, record->accountId);
        const auto invoice = findInvoice(accountEvents, commandLine.invoiceNumber, numbers);
        if (!invoice)
            return std::nullopt;
        const EventList shipmentEvents = streamEvents(db, shipmentStreamId(invoice->shipmentId));
        return DocumentText::invoice(
            invoiceDocument(*invoice, accountEvents, shipmentEvents, numbers), company);
    }
    case DocumentKind::Statement: {
        const QString &account = commandLine.documentSubject;
        const auto statement = statementDocument(streamEvents(db, accountStreamId(account)),
            commandLine.periodFrom, commandLine.periodTo, ReadModels::invoiceNumbers(db, account));
        if (!statement)
            return std::nullopt;
        return DocumentText::statement(*statement, company);
    }
    case DocumentKind::BillOfLading: {
        const auto bill
            = billOfLadingDocument(streamEvents(db, shipmentStreamId(commandLine.documentSubject)));
        if (!bill)
            return std::nullopt;
        return DocumentText::billOfLading(*bill, company);
    }
    }
    return std::nullopt;
}

QString notFound(const CommandLine &commandLine)
{
    switch (commandLine.documentKind) {
    case DocumentKind::Invoice:
        return QCoreApplication::translate("DocumentCommands", "no invoice %1 in this database")
            .arg(invoiceNumberText(commandLine.invoiceNumber));
    case DocumentKind::Statement:
        return QCoreApplication::translate("DocumentCommands", "account %1 has no entries up to %2")
            .arg(commandLine.documentSubject, commandLine.periodTo.date().toString(Qt::ISODate));
    case DocumentKind::BillOfLading:
        break;
    }
    return QCoreApplication::translate("DocumentCommands", "no shipment %1 in this database")
        .arg(commandLine.documentSubject);
}

} // namespace

int writeDocument(Database &database, const CommandLine &commandLine)
{
    documents::Company company;
    const auto document = buildDocument(database, commandLine, company);
    if (!document) {
        printError(notFound(commandLine));
        return ExitFailure;
    }
    QString error;
    const int pages = documents::writePdf(*document, commandLine.outFile, &error);
    if (pages == 0) {
        printError(QCoreApplication::translate("DocumentCommands", "cannot write %1: %2")
                       .arg(commandLine.outFile, error));
        return ExitFailure;
    }
    printLine(QCoreApplication::translate(
        "DocumentCommands", "Wrote %1 to %2 (%n page(s)). Its proof: %3", nullptr, pages)
                  .arg(document->title, commandLine.outFile, document->proof.verifyCommand()));
    return ExitSuccess;
}

} // namespace waybill::cli
