// Small helpers that turn QtSql's error returns into exceptions inside the store and engine.
#pragma once

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

#include <initializer_list>
#include <stdexcept>

namespace waybill {

class StoreError : public std::runtime_error
{
public:
    enum class Kind { Other, UniqueViolation, Busy };
    StoreError(const QString &message, Kind kind = Kind::Other)
        : std::runtime_error(message.toStdString())
        , m_message(message)
        , m_kind(kind)
    {
    }
    const QString &message() const { return m_message; }
    Kind kind() const { return m_kind; }

private:
    QString m_message;
    Kind m_kind;
};

// Prepares and runs a statement with positional bindings; throws StoreError on failure.
QSqlQuery runQuery(const QSqlDatabase &db, const QString &sql,
                   std::initializer_list<QVariant> bindings = {});
// Runs a statement that takes no bindings (DDL, BEGIN, COMMIT) without preparing it.
void runStatement(const QSqlDatabase &db, const QString &sql);
[[noreturn]] void throwQueryError(const QSqlQuery &query, const QString &what);

} // namespace waybill
