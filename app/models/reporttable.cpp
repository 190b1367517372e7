#include "reporttable.h"

#include "domain/timeformat.h"
#include "presentation/moneytext.h"

#include <QJsonArray>

namespace waybill::app {

namespace {

using Kind = ReportColumn::Kind;

// Cells are the CSV's rules (RFC 4180): quoted when they hold a comma, a quote, CR or LF.
void appendCell(QByteArray &out, const QString &text, bool first)
{
    if (!first)
        out += ',';
    const QByteArray utf8 = text.toUtf8();
    if (utf8.contains(',') || utf8.contains('"') || utf8.contains('\r') || utf8.contains('\n')) {
        out += '"';
        out += QByteArray(utf8).replace('"', "\"\"");
        out += '"';
    } else {
        out += utf8;
    }
}

// OWASP's list of what a spreadsheet runs as a formula.
QString defused(const QString &text)
{
    static const QString starts = QStringLiteral("=+-@\t\r");
    if (!text.isEmpty() && starts.contains(text.front()))
        return QLatin1Char('\'') + text;
    return text;
}

QVariant percentCell(const QJsonObject &figures, const QString &key)
{
    const QJsonValue value = figures.value(key);
    if (value.isUndefined() || value.isNull())
        return {};
    return qRound64(value.toDouble() * 100);
}

QDate weekOf(const QJsonObject &figures)
{
    const auto start = parseIsoUtc(figures.value(QStringLiteral("weekStart")).toString());
    return start ? start->date() : QDate();
}

qint64 integer(const QJsonObject &figures, const QString &key)
{
    return figures.value(key).toInteger();
}

QVector<ReportColumn> revenueColumns(const ReportColumn &first)
{
    return { first, { QStringLiteral("invoices"), ReportTable::tr("Invoices"), Kind::Count },
        { QStringLiteral("invoiced"), ReportTable::tr("Invoiced"), Kind::Money },
        { QStringLiteral("credited"), ReportTable::tr("Credited"), Kind::Money },
        { QStringLiteral("net"), ReportTable::tr("Net revenue"), Kind::Money } };
}

QVector<QVariant> revenueRow(const QVariant &first, const QJsonObject &figures)
{
    return { first, integer(figures, QStringLiteral("invoices")),
        integer(figures, QStringLiteral("invoicedCents")),
        integer(figures, QStringLiteral("creditedCents")),
        integer(figures, QStringLiteral("netCents")) };
}

} // namespace

QString plainDollars(qint64 cents)
{
    const qint64 whole = cents / 100;
    const qint64 rest = qAbs(cents % 100);
    const QString sign = cents < 0 && whole == 0 ? QStringLiteral("-") : QString();
    return sign + QString::number(whole) + QLatin1Char('.')
        + QStringLiteral("%1").arg(rest, 2, 10, QLatin1Char('0'));
}

int ReportTable::columnOf(const QString &csvName) const
{
    for (int i = 0; i < columns.size(); ++i) {
        if (columns.at(i).csvName == csvName)
            return i;
    }
    return -1;
}

QString ReportTable::displayText(int row, int column, const QLocale &locale) const
{
    const QVariant cell = rows.at(row).at(column);
    switch (columns.at(column).kind) {
    case Kind::Text:
        return cell.toString();
    case Kind::Week:
        return locale.toString(cell.toDate(), QLocale::ShortFormat);
    case Kind::Count:
        return locale.toString(cell.toLongLong());
    case Kind::Money:
        return MoneyText::display(cell.toLongLong(), locale);
    case Kind::Percent:
        if (!cell.isValid())
            return tr("–");
        return tr("%1 %").arg(locale.toString(double(cell.toLongLong()) / 100, 'f', 2));
    case Kind::Duration:
        return tr("%1 h").arg(locale.toString(double(cell.toLongLong()) / 3'600'000, 'f', 1));
    }
    return {};
}

QByteArray ReportTable::toCsv() const
{
    QByteArray out;
    bool first = true;
    for (const ReportColumn &column : columns) {
        if (column.kind == Kind::Money) {
            appendCell(out, column.csvName + QStringLiteral("_cents"), first);
            first = false;
        }
        appendCell(out, column.csvName, first);
        first = false;
    }
    out += "\r\n";
    for (const QVector<QVariant> &row : rows) {
        first = true;
        for (int i = 0; i < columns.size(); ++i) {
            const QVariant &cell = row.at(i);
            switch (columns.at(i).kind) {
            case Kind::Text:
                appendCell(out, defused(cell.toString()), first);
                break;
            case Kind::Week:
                appendCell(out, cell.toDate().toString(Qt::ISODate), first);
                break;
            case Kind::Count:
            case Kind::Duration:
                appendCell(out, QString::number(cell.toLongLong()), first);
                break;
            case Kind::Money:
                appendCell(out, QString::number(cell.toLongLong()), first);
                appendCell(out, plainDollars(cell.toLongLong()), false);
                break;
            case Kind::Percent:
                appendCell(out,
                    cell.isValid() ? QString::number(double(cell.toLongLong()) / 100) : QString(),
                    first);
                break;
            }
            first = false;
        }
        out += "\r\n";
    }
    return out;
}

ReportTable ReportTable::revenueByWeek(const QJsonObject &report)
{
    ReportTable table;
    table.columns = revenueColumns({ QStringLiteral("week_start"), tr("Week of"), Kind::Week });
    for (const QJsonValue &v : report.value(QStringLiteral("weeks")).toArray())
        table.rows.append(revenueRow(weekOf(v.toObject()), v.toObject()));
    return table;
}

ReportTable ReportTable::revenueByAccount(const QJsonObject &report)
{
    ReportTable table;
    table.columns = revenueColumns({ QStringLiteral("account"), tr("Account"), Kind::Text });
    for (const QJsonValue &v : report.value(QStringLiteral("accounts")).toArray()) {
        const QJsonObject account = v.toObject();
        table.rows.append(
            revenueRow(account.value(QStringLiteral("accountId")).toString(), account));
    }
    return table;
}

ReportTable ReportTable::onTimeByWeek(const QJsonObject &report)
{
    ReportTable table;
    table.columns = { { QStringLiteral("week_start"), tr("Week of"), Kind::Week },
        { QStringLiteral("delivered"), tr("Delivered"), Kind::Count },
        { QStringLiteral("with_window"), tr("With a delivery window"), Kind::Count },
        { QStringLiteral("on_time"), tr("On time"), Kind::Count },
        { QStringLiteral("late"), tr("Late"), Kind::Count },
        { QStringLiteral("on_time_percent"), tr("On-time rate"), Kind::Percent } };
    for (const QJsonValue &v : report.value(QStringLiteral("weeks")).toArray()) {
        const QJsonObject week = v.toObject();
        table.rows.append({ weekOf(week), integer(week, QStringLiteral("delivered")),
            integer(week, QStringLiteral("withWindow")), integer(week, QStringLiteral("onTime")),
            integer(week, QStringLiteral("late")),
            percentCell(week, QStringLiteral("onTimePercent")) });
    }
    return table;
}

ReportTable ReportTable::utilisationByTruck(const QJsonObject &report)
{
    ReportTable table;
    table.columns = { { QStringLiteral("truck"), tr("Truck"), Kind::Text },
        { QStringLiteral("loads"), tr("Loads"), Kind::Count },
        { QStringLiteral("busy_ms"), tr("Time with a load"), Kind::Duration },
        { QStringLiteral("utilisation_percent"), tr("Utilisation"), Kind::Percent } };
    for (const QJsonValue &v : report.value(QStringLiteral("trucks")).toArray()) {
        const QJsonObject truck = v.toObject();
        table.rows.append({ truck.value(QStringLiteral("truckId")).toString(),
            integer(truck, QStringLiteral("loads")), integer(truck, QStringLiteral("busyMs")),
            percentCell(truck, QStringLiteral("utilisationPercent")) });
    }
    return table;
}

ReportTable ReportTable::agingByAccount(const QJsonObject &report)
{
    ReportTable table;
    table.columns = { { QStringLiteral("account"), tr("Account"), Kind::Text },
        { QStringLiteral("current"), tr("Not yet due"), Kind::Money },
        { QStringLiteral("days_1_to_30"), tr("1–30 days"), Kind::Money },
        { QStringLiteral("days_31_to_60"), tr("31–60 days"), Kind::Money },
        { QStringLiteral("days_61_to_90"), tr("61–90 days"), Kind::Money },
        { QStringLiteral("over_90"), tr("Over 90 days"), Kind::Money },
        { QStringLiteral("total"), tr("Total open"), Kind::Money } };
    for (const QJsonValue &v : report.value(QStringLiteral("accounts")).toArray()) {
        const QJsonObject line = v.toObject();
        table.rows.append({ line.value(QStringLiteral("accountId")).toString(),
            integer(line, QStringLiteral("currentCents")),
            integer(line, QStringLiteral("days1to30Cents")),
            integer(line, QStringLiteral("days31to60Cents")),
            integer(line, QStringLiteral("days61to90Cents")),
            integer(line, QStringLiteral("over90Cents")),
            integer(line, QStringLiteral("totalCents")) });
    }
    return table;
}

} // namespace waybill::app
