// One report of the Reports window as a table: its columns and rows read from the server's
// answer, shown in the user's locale, and written as CSV (RFC 4180, as the audit export: money
// as integer cents and as dollars, fixed English column names for spreadsheets and scripts).
#pragma once

#include <QCoreApplication>
#include <QJsonObject>
#include <QLocale>
#include <QString>
#include <QVariant>
#include <QVector>

namespace waybill::app {

struct ReportColumn
{
    enum class Kind {
        Text, // QString
        Week, // QDate: the Monday (UTC) the week starts on
        Count, // qint64
        Money, // qint64 cents; two CSV columns, "<name>_cents" and "<name>" in dollars
        Percent, // qint64 hundredths of a percent, or an invalid QVariant for none
        Duration // qint64 milliseconds; shown in hours
    };
    QString csvName;
    QString title;
    Kind kind = Kind::Text;
};

struct ReportTable
{
    Q_DECLARE_TR_FUNCTIONS(ReportTable)
public:
    QVector<ReportColumn> columns;
    QVector<QVector<QVariant>> rows;

    int columnOf(const QString &csvName) const;
    // The cell as a person reads it (money with its currency, a percent with its sign).
    QString displayText(int row, int column, const QLocale &locale = QLocale()) const;
    // Header row and rows, CRLF line ends, UTF-8; a text cell a spreadsheet would run as a
    // formula gains a leading apostrophe.
    QByteArray toCsv() const;

    // From GET /reports/revenue: one row per week, oldest first.
    static ReportTable revenueByWeek(const QJsonObject &report);
    // From GET /reports/revenue: one row per account, highest net revenue first.
    static ReportTable revenueByAccount(const QJsonObject &report);
    // From GET /reports/on-time: one row per week, oldest first.
    static ReportTable onTimeByWeek(const QJsonObject &report);
    // From GET /reports/utilisation: one row per truck, by id.
    static ReportTable utilisationByTruck(const QJsonObject &report);
    // From GET /reports/aging: one row per account with something open, by id.
    static ReportTable agingByAccount(const QJsonObject &report);
};

// 123456 -> "1234.56", -5 -> "-0.05": dollars as a spreadsheet reads them, whatever the locale.
QString plainDollars(qint64 cents);

} // namespace waybill::app
