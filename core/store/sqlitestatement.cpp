#include "sqlitestatement.h"

#include "sql.h"

#include <QByteArray>
#include <QSqlDriver>
#include <QSqlError>

#include <sqlite3.h>

namespace waybill {

sqlite3 *sqliteHandle(const QSqlDatabase &db)
{
    const QSqlDriver *driver = db.driver();
    if (!driver || driver->dbmsType() != QSqlDriver::SQLite)
        return nullptr;
    const QVariant handle = driver->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(handle.constData());
}

SqliteStatement::SqliteStatement(sqlite3 *handle, const QString &sql)
    : m_handle(handle)
    , m_sql(sql)
{
    const int rc = sqlite3_prepare16_v3(m_handle, sql.utf16(), int(sql.size() * sizeof(QChar)),
        SQLITE_PREPARE_PERSISTENT, &m_statement, nullptr);
    if (rc != SQLITE_OK) {
        const QSqlError error = lastError();
        sqlite3_finalize(m_statement);
        m_statement = nullptr;
        fail(QStringLiteral("cannot prepare"), error);
    }
}

SqliteStatement::~SqliteStatement()
{
    sqlite3_finalize(m_statement);
}

void SqliteStatement::bind(int index, const QVariant &value)
{
    const int at = index + 1;
    int rc = SQLITE_OK;
    if (isSqlNull(value)) {
        rc = sqlite3_bind_null(m_statement, at);
    } else {
        switch (value.typeId()) {
        case QMetaType::Bool:
        case QMetaType::Int:
        case QMetaType::UInt:
        case QMetaType::LongLong:
            rc = sqlite3_bind_int64(m_statement, at, value.toLongLong());
            break;
        case QMetaType::Double:
            rc = sqlite3_bind_double(m_statement, at, value.toDouble());
            break;
        case QMetaType::QByteArray: {
            const QByteArray *bytes = static_cast<const QByteArray *>(value.constData());
            rc = sqlite3_bind_blob(
                m_statement, at, bytes->constData(), int(bytes->size()), SQLITE_STATIC);
            break;
        }
        default:
            // A string, and as QtSql's driver does, anything else as its text.
            rc = bindText(at, value.toString());
            break;
        }
    }
    if (rc != SQLITE_OK)
        fail(QStringLiteral("cannot bind a value to"), lastError());
}

int SqliteStatement::bindText(int at, const QString &text)
{
    // In the database's encoding, UTF-8: SQLite would otherwise convert UTF-16 itself, a character
    // at a time.
    m_texts.push_back(text.toUtf8());
    const QByteArray &bytes = m_texts.back();
    return sqlite3_bind_text(m_statement, at, bytes.constData(), int(bytes.size()), SQLITE_STATIC);
}

qint64 SqliteStatement::run()
{
    int rc = sqlite3_step(m_statement);
    while (rc == SQLITE_ROW)
        rc = sqlite3_step(m_statement);
    if (rc == SQLITE_DONE) {
        const qint64 changed = sqlite3_changes(m_handle);
        sqlite3_reset(m_statement);
        // No pointer into the texts stays bound.
        sqlite3_clear_bindings(m_statement);
        m_texts.clear();
        return changed;
    }
    const QSqlError error = lastError();
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
    m_texts.clear();
    fail(QStringLiteral("cannot run"), error);
}

QSqlError SqliteStatement::lastError() const
{
    return QSqlError(QStringLiteral("Unable to execute statement"),
        QString::fromUtf8(sqlite3_errmsg(m_handle)), QSqlError::StatementError,
        QString::number(sqlite3_extended_errcode(m_handle)));
}

void SqliteStatement::fail(const QString &what, const QSqlError &error) const
{
    noteFailedStatement();
    throw StoreError(
        QStringLiteral("%1 \"%2\": %3").arg(what, m_sql.left(80), error.text().trimmed()),
        classifyError(error, false));
}

} // namespace waybill
