#include "documenttext.h"

#include "domain/invoicenumber.h"

#include <QLocale>

namespace waybill::documents {

namespace {

// Colours of the layout, in one place.
const char *const kAccent = "#1f3b63"; // titles and rules
const char *const kShade = "#e6ebf2"; // table heads
const char *const kMuted = "#5a6472"; // labels

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString day(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().date().toString(Qt::ISODate) : QString();
}

QString minute(const QDateTime &time)
{
    return time.isValid()
        ? DocumentText::tr("%1 UTC").arg(time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm")))
        : QString();
}

QString pounds(double weight)
{
    // Weights are kept to the hundredth of a pound; whole pounds print without decimals.
    const QLocale english(QLocale::English, QLocale::UnitedStates);
    const bool whole = qFuzzyCompare(weight, double(qRound64(weight)));
    return DocumentText::tr("%1 lb").arg(
        whole ? english.toString(qRound64(weight)) : english.toString(weight, 'f', 2));
}

QString addressLines(const Address &a)
{
    QStringList lines { QStringLiteral("<b>%1</b>").arg(esc(a.name)), esc(a.line1) };
    if (!a.line2.isEmpty())
        lines << esc(a.line2);
    lines << esc(DocumentText::tr("%1, %2 %3").arg(a.city, a.state, a.zip));
    return lines.join(QStringLiteral("<br>"));
}

QString place(const Address &a)
{
    return esc(DocumentText::tr("%1, %2, %3 %4").arg(a.name, a.city, a.state, a.zip));
}

QString label(const QString &text)
{
    return QStringLiteral("<span style=\"color:%1; font-size:7.5pt; font-weight:600;\">%2</span>")
        .arg(QLatin1String(kMuted), esc(text.toUpper()));
}

// The company at the left, the document's title and its facts (label, value) at the right.
QString heading(
    const Company &company, const QString &title, const QVector<QPair<QString, QString>> &facts)
{
    QString left = QStringLiteral("<span style=\"font-size:17pt; font-weight:700; color:%1;\">"
                                  "%2</span>")
                       .arg(QLatin1String(kAccent), esc(company.name));
    for (const QString &line : company.addressLines)
        left += QStringLiteral("<br>") + esc(line);
    QString right = QStringLiteral("<p align=\"right\" style=\"font-size:18pt; font-weight:700; "
                                   "color:%1; margin:0;\">%2</p>")
                        .arg(QLatin1String(kAccent), esc(title.toUpper()));
    right += QStringLiteral("<table align=\"right\" cellspacing=\"0\" cellpadding=\"1\">");
    for (const auto &[name, value] : facts)
        right += QStringLiteral("<tr><td align=\"right\" style=\"color:%1;\">%2&nbsp;&nbsp;</td>"
                                "<td align=\"right\"><b>%3</b></td></tr>")
                     .arg(QLatin1String(kMuted), esc(name), value);
    right += QStringLiteral("</table>");
    return QStringLiteral("<table width=\"100%\" cellspacing=\"0\" cellpadding=\"0\"><tr>"
                          "<td width=\"50%\" valign=\"top\">%1</td>"
                          "<td width=\"50%\" valign=\"top\" align=\"right\">%2</td></tr></table>"
                          "<hr style=\"height:2px; background-color:%3; border:none;\">")
        .arg(left, right, QLatin1String(kAccent));
}

// Two blocks side by side, each under its label.
QString twoBlocks(
    const QString &leftLabel, const QString &left, const QString &rightLabel, const QString &right)
{
    return QStringLiteral(
        "<table width=\"100%\" cellspacing=\"0\" cellpadding=\"2\" style=\"margin-top:8px;\"><tr>"
        "<td width=\"50%\" valign=\"top\">%1<br>%2</td>"
        "<td width=\"50%\" valign=\"top\">%3<br>%4</td></tr></table>")
        .arg(label(leftLabel), left, label(rightLabel), right);
}

QString tableHead(const QStringList &columns, const QVector<bool> &rightAligned)
{
    QString head = QStringLiteral("<thead><tr>");
    for (int i = 0; i < columns.size(); ++i)
        head += QStringLiteral("<th align=\"%1\" bgcolor=\"%2\">%3</th>")
                    .arg(rightAligned.value(i) ? QStringLiteral("right") : QStringLiteral("left"),
                        QLatin1String(kShade), esc(columns.at(i)));
    return head + QStringLiteral("</tr></thead>");
}

QString row(const QStringList &cells, const QVector<bool> &rightAligned, bool bold = false)
{
    QString r = QStringLiteral("<tr>");
    for (int i = 0; i < cells.size(); ++i)
        r += QStringLiteral("<td align=\"%1\">%2%3%4</td>")
                 .arg(rightAligned.value(i) ? QStringLiteral("right") : QStringLiteral("left"),
                     bold ? QStringLiteral("<b>") : QString(), cells.at(i),
                     bold ? QStringLiteral("</b>") : QString());
    return r + QStringLiteral("</tr>");
}

const QString kLinesTable
    = QStringLiteral("<table width=\"100%\" cellspacing=\"0\" cellpadding=\"4\" "
                     "style=\"margin-top:12px; border-collapse:collapse; border-color:#c9d1dc; "
                     "border-style:solid; border-width:1px;\">");

QString accessorialName(const QString &code)
{
    if (code == QLatin1String("liftgate"))
        return DocumentText::tr("Liftgate service");
    if (code == QLatin1String("residential"))
        return DocumentText::tr("Residential delivery");
    if (code == QLatin1String("appointment"))
        return DocumentText::tr("Delivery appointment");
    return DocumentText::tr("Accessorial: %1").arg(code);
}

QString chargeName(const Charge &charge, const ShipmentState &shipment)
{
    if (charge.code == QLatin1String("linehaul"))
        return DocumentText::tr("Linehaul, %1 to %2, %3")
            .arg(shipment.shipFrom.state, shipment.shipTo.state, pounds(shipment.weightInPounds));
    if (charge.code == QLatin1String("fuel"))
        return DocumentText::tr("Fuel surcharge");
    return accessorialName(charge.code);
}

QString statusName(const OpenInvoice &invoice)
{
    if (invoice.openCents > 0)
        return invoice.openCents == invoice.amountCents ? DocumentText::tr("Open")
                                                        : DocumentText::tr("Partly paid");
    if (invoice.status() == QLatin1String("credited"))
        return DocumentText::tr("Credited");
    return DocumentText::tr("Paid");
}

QString shipmentStatusText(ShipmentStatus status)
{
    switch (status) {
    case ShipmentStatus::Submitted:
        return DocumentText::tr("Submitted");
    case ShipmentStatus::Assigned:
        return DocumentText::tr("Assigned");
    case ShipmentStatus::Shipped:
        return DocumentText::tr("In transit");
    case ShipmentStatus::Delivered:
        return DocumentText::tr("Delivered");
    case ShipmentStatus::Cancelled:
        return DocumentText::tr("Cancelled");
    case ShipmentStatus::None:
        break;
    }
    return {};
}

QString windowText(const std::optional<TimeWindow> &window)
{
    if (!window)
        return DocumentText::tr("not set");
    return esc(DocumentText::tr("%1 to %2").arg(minute(window->from), minute(window->to)));
}

QString accountName(const AccountState &account)
{
    return account.name.isEmpty() ? account.id : account.name;
}

QString billTo(const AccountState &account)
{
    if (!account.registered)
        return QStringLiteral("<b>%1</b><br>%2")
            .arg(esc(account.id), esc(DocumentText::tr("(no billing address on record)")));
    return addressLines(account.billingAddress) + QStringLiteral("<br>")
        + esc(DocumentText::tr("Account %1").arg(account.id));
}

} // namespace

QString DocumentText::money(Cents cents)
{
    const QLocale english(QLocale::English, QLocale::UnitedStates);
    const Cents magnitude = cents < 0 ? -cents : cents;
    const QString amount = QStringLiteral("%1.%2").arg(english.toString(magnitude / 100),
        QStringLiteral("%1").arg(magnitude % 100, 2, 10, QLatin1Char('0')));
    return cents < 0 ? tr("-$%1").arg(amount) : tr("$%1").arg(amount);
}

QString DocumentText::pageNumber(int page, int pages)
{
    return tr("Page %1 of %2").arg(page).arg(pages);
}

QString DocumentText::proofLine(const DocumentProof &proof)
{
    return tr("Proof of record: this document reflects the log up to position %1, whose hash "
              "is below. Anyone can check it against the log with:")
        .arg(QString::number(proof.position));
}

PrintableDocument DocumentText::invoice(const InvoiceDocument &document, const Company &company)
{
    const OpenInvoice &invoice = document.invoice;
    const ShipmentState &shipment = document.shipment;
    const QString number = invoiceNumberText(invoice.number);
    const qint64 termsDays = invoice.issued.daysTo(invoice.due);
    const QString terms = termsDays == 0 ? tr("Due on receipt") : tr("Net %1").arg(termsDays);

    QString html = heading(company, tr("Invoice"),
        { { tr("Invoice number"), esc(number) }, { tr("Issued"), day(invoice.issued) },
            { tr("Due"), day(invoice.due) }, { tr("Terms"), esc(terms) },
            { tr("Status"), esc(statusName(invoice)) } });

    QString shipped = esc(tr("Shipment %1").arg(shipment.id)) + QStringLiteral("<br>")
        + tr("From: %1").arg(place(shipment.shipFrom)) + QStringLiteral("<br>")
        + tr("To: %1").arg(place(shipment.shipTo)) + QStringLiteral("<br>")
        + esc(tr("Weight: %1").arg(pounds(shipment.weightInPounds)));
    if (shipment.deliveredDate.isValid())
        shipped += QStringLiteral("<br>")
            + esc(shipment.signedBy.isEmpty()
                    ? tr("Delivered %1").arg(day(shipment.deliveredDate))
                    : tr("Delivered %1, signed by %2")
                          .arg(day(shipment.deliveredDate), shipment.signedBy));
    html += twoBlocks(tr("Bill to"), billTo(document.account), tr("Shipment"), shipped);

    const QVector<bool> align { false, true };
    html += kLinesTable + tableHead({ tr("Description"), tr("Amount") }, align);
    Cents listed = 0;
    for (const Charge &charge : shipment.charges) {
        html += row({ esc(chargeName(charge, shipment)), money(charge.amountCents) }, align);
        listed += charge.amountCents;
    }
    // A shipment priced before breakdowns were recorded, or a difference the breakdown does not
    // explain: the invoice's own amount is what is owed, and the lines add up to it.
    if (shipment.charges.isEmpty())
        html += row({ esc(tr("Freight charges, %1").arg(pounds(shipment.weightInPounds))),
                        money(invoice.amountCents) },
            align);
    else if (listed != invoice.amountCents)
        html += row({ esc(tr("Adjustment")), money(invoice.amountCents - listed) }, align);
    html += QStringLiteral("</table>");

    html += QStringLiteral("<table align=\"right\" cellspacing=\"0\" cellpadding=\"3\" "
                           "style=\"margin-top:8px;\">");
    html += row({ esc(tr("Invoice total")), money(invoice.amountCents) }, align, true);
    if (invoice.paidCents > 0)
        html += row({ esc(tr("Payments applied")), money(-invoice.paidCents) }, align);
    if (invoice.creditedCents > 0)
        html += row({ esc(tr("Credits applied")), money(-invoice.creditedCents) }, align);
    html += row({ esc(tr("Amount due")), money(invoice.openCents) }, align, true);
    html += QStringLiteral("</table><br clear=\"all\">");

    html += QStringLiteral("<p style=\"margin-top:24px;\">%1</p>")
                .arg(esc(invoice.openCents > 0
                        ? tr("Terms: %1. Please pay %2 by %3 and quote invoice number %4 with "
                             "your payment.")
                              .arg(terms, money(invoice.openCents), day(invoice.due), number)
                        : tr("Terms: %1. This invoice is settled: nothing is due. Thank you.")
                              .arg(terms)));
    if (!document.account.registered)
        html += QStringLiteral("<p>%1</p>")
                    .arg(esc(tr("Account %1 has no billing record yet.").arg(document.account.id)));

    return { tr("Invoice %1").arg(number), html,
        tr("%1 · Invoice %2 · %3").arg(company.name, number, accountName(document.account)),
        document.proof };
}

PrintableDocument DocumentText::statement(const StatementDocument &document, const Company &company)
{
    const AccountState &account = document.account;
    const QString period = tr("%1 to %2").arg(day(document.from), day(document.to));
    QString html = heading(company, tr("Statement"),
        { { tr("Account"), esc(account.id) }, { tr("Period"), esc(period) },
            { tr("Statement date"), day(document.to) },
            { tr("Terms"), esc(tr("Net %1").arg(account.paymentTermsDays)) },
            { tr("Balance due"), money(document.closingDueCents) } });
    html += twoBlocks(tr("Statement for"), billTo(account), tr("Summary"),
        esc(tr("Opening balance %1").arg(money(document.openingDueCents))) + QStringLiteral("<br>")
            + esc(tr("Entries in the period: %1").arg(document.lines.size()))
            + QStringLiteral("<br>")
            + esc(tr("Closing balance %1").arg(money(document.closingDueCents))));

    const QVector<bool> align { false, false, true, true, true };
    html += kLinesTable
        + tableHead({ tr("Date"), tr("Description"), tr("Charges"), tr("Payments and credits"),
                        tr("Balance") },
            align);
    html += row({ day(document.from), esc(tr("Opening balance")), QString(), QString(),
                    money(document.openingDueCents) },
        align, true);
    for (const StatementLine &line : document.lines) {
        QString what;
        switch (line.kind) {
        case StatementLine::Kind::Invoice:
            what = tr("Invoice %1, shipment %2")
                       .arg(invoiceNumberText(line.invoiceNumber), line.shipmentId);
            break;
        case StatementLine::Kind::Payment:
            what = tr("Payment received, thank you");
            break;
        case StatementLine::Kind::PaymentReversal:
            what = tr("Payment reversed: %1").arg(line.reason);
            break;
        case StatementLine::Kind::Credit:
            what = line.shipmentId.isEmpty()
                ? tr("Credit: %1").arg(line.reason)
                : tr("Credit for shipment %1: %2").arg(line.shipmentId, line.reason);
            break;
        }
        html += row(
            { day(line.when), esc(what), line.chargeCents ? money(line.chargeCents) : QString(),
                line.paymentCents ? money(line.paymentCents) : QString(),
                money(line.balanceDueCents) },
            align);
    }
    html += row({ day(document.to), esc(tr("Closing balance")), QString(), QString(),
                    money(document.closingDueCents) },
        align, true);
    html += QStringLiteral("</table>");

    html += QStringLiteral("<p style=\"margin-top:16px;\">%1</p>")
                .arg(label(tr("Aging of what is open on %1").arg(day(document.to))));
    const QVector<bool> right { true, true, true, true, true, true };
    html += kLinesTable
        + tableHead({ tr("Current"), tr("1-30 days"), tr("31-60 days"), tr("61-90 days"),
                        tr("Over 90 days"), tr("Total open") },
            right);
    QStringList buckets;
    for (const Cents cents : document.aging.cents)
        buckets << money(cents);
    buckets << money(document.aging.totalCents());
    html += row(buckets, right, true) + QStringLiteral("</table>");

    if (!document.openInvoices.isEmpty()) {
        html += QStringLiteral("<p style=\"margin-top:16px;\">%1</p>")
                    .arg(label(tr("Open invoices on %1").arg(day(document.to))));
        const QVector<bool> open { false, false, false, false, true, true };
        html += kLinesTable
            + tableHead({ tr("Invoice"), tr("Shipment"), tr("Issued"), tr("Due"), tr("Amount"),
                            tr("Open") },
                open);
        for (const OpenInvoice &i : document.openInvoices)
            html += row({ esc(invoiceNumberText(i.number)), esc(i.shipmentId), day(i.issued),
                            day(i.due), money(i.amountCents), money(i.openCents) },
                open);
        html += QStringLiteral("</table>");
    }
    if (document.closingDueCents < 0)
        html += QStringLiteral("<p>%1</p>")
                    .arg(esc(tr("The account is in credit by %1: it goes to the next invoices.")
                                 .arg(money(-document.closingDueCents))));

    return { tr("Statement %1, %2").arg(account.id, period), html,
        tr("%1 · Statement for %2 · %3").arg(company.name, accountName(account), period),
        document.proof };
}

PrintableDocument DocumentText::billOfLading(
    const BillOfLadingDocument &document, const Company &company)
{
    const ShipmentState &s = document.shipment;
    const QDateTime date = s.shipDate.isValid() ? s.shipDate : s.createdTimestamp;
    QString html = heading(company, tr("Bill of lading"),
        { { tr("Shipment"), esc(s.id) }, { tr("Date"), day(date) },
            { tr("Status"), esc(shipmentStatusText(s.status)) },
            { tr("Bill freight to"), esc(tr("Account %1").arg(s.billToAccountId)) } });
    html += twoBlocks(tr("Shipper (ship from)"), addressLines(s.shipFrom),
        tr("Consignee (ship to)"), addressLines(s.shipTo));

    html += twoBlocks(tr("Carrier"),
        esc(company.name) + QStringLiteral("<br>")
            + esc(s.assignedToTruck.isEmpty() ? tr("Truck: not assigned yet")
                                              : tr("Truck: %1").arg(s.assignedToTruck)),
        tr("Schedule"),
        tr("Pickup window: %1").arg(windowText(s.pickupWindow)) + QStringLiteral("<br>")
            + tr("Delivery window: %1").arg(windowText(s.deliveryWindow))
            + (s.shipDate.isValid()
                    ? QStringLiteral("<br>") + esc(tr("Picked up: %1").arg(minute(s.shipDate)))
                    : QString())
            + (s.deliveredDate.isValid()
                    ? QStringLiteral("<br>") + esc(tr("Delivered: %1").arg(minute(s.deliveredDate)))
                    : QString()));

    const QVector<bool> align { true, false, true };
    html += kLinesTable
        + tableHead({ tr("Handling units"), tr("Description of goods"), tr("Weight") }, align);
    html += row({ QStringLiteral("1"), esc(tr("Freight")), esc(pounds(s.weightInPounds)) }, align);
    html += row({ QString(), esc(tr("Total")), esc(pounds(s.weightInPounds)) }, align, true);
    html += QStringLiteral("</table>");
    if (!s.accessorials.isEmpty()) {
        QStringList services;
        for (const QString &code : s.accessorials)
            services << accessorialName(code);
        html
            += QStringLiteral("<p>%1</p>")
                   .arg(esc(tr("Services asked for: %1").arg(services.join(QStringLiteral(", ")))));
    }
    if (s.status == ShipmentStatus::Cancelled)
        html
            += QStringLiteral("<p><b>%1</b></p>").arg(esc(tr("Cancelled: %1").arg(s.cancelReason)));

    // Signatures: the consignee's is filled in from the delivery when it was signed for.
    const QString blank = QStringLiteral("______________________________");
    const bool delivered = s.status == ShipmentStatus::Delivered;
    const QString signature = delivered && !s.signedBy.isEmpty()
        ? QStringLiteral("<span style=\"font-size:11pt; font-style:italic;\">%1</span><br>%2")
              .arg(esc(s.signedBy), blank)
        : QStringLiteral("<br>") + blank;
    const QString received = delivered
        ? esc(s.signedBy.isEmpty()
                ? tr("Delivered %1, no signature recorded").arg(minute(s.deliveredDate))
                : tr("Received in good order, %1").arg(minute(s.deliveredDate)))
        : esc(tr("Date"));
    html += QStringLiteral(
        "<table width=\"100%\" cellspacing=\"0\" cellpadding=\"4\" style=\"margin-top:28px;\">"
        "<tr><td width=\"33%\" valign=\"top\">%1<br><br>%2<br>%3</td>"
        "<td width=\"33%\" valign=\"top\">%4<br><br>%2<br>%3</td>"
        "<td width=\"34%\" valign=\"top\">%5<br>%6<br>%7</td></tr></table>")
                .arg(label(tr("Shipper signature")), blank, esc(tr("Date")),
                    label(tr("Carrier signature")), label(tr("Consignee signature")), signature,
                    received);

    return { tr("Bill of lading %1").arg(s.id), html,
        tr("%1 · Bill of lading · Shipment %2").arg(company.name, s.id), document.proof };
}

} // namespace waybill::documents
