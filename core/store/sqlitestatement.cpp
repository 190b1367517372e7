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

qint64 SqliteStatement::run(const std::function<void(const SqliteStatement &)> &row)
{
    qint64 returned = 0;
    int rc = sqlite3_step(m_statement);
    try {
        while (rc == SQLITE_ROW) {
            ++returned;
            if (row)
                row(*this);
            rc = sqlite3_step(m_statement);
        }
    } catch (...) {
        makeReady();
        throw;
    }
    if (rc == SQLITE_DONE) {
        // As execPrepared counts: a statement with result columns by the rows it returned.
        const qint64 changed
            = sqlite3_column_count(m_statement) > 0 ? returned : sqlite3_changes(m_handle);
        makeReady();
        return changed;
    }
    const QSqlError error = lastError();
    makeReady();
    fail(QStringLiteral("cannot run"), error);
}

void SqliteStatement::makeReady()
{
    sqlite3_reset(m_statement);
    // No pointer into the texts stays bound.
    sqlite3_clear_bindings(m_statement);
    m_texts.clear();
}

QString SqliteStatement::text(int column) const
{
    const auto *utf8 = reinterpret_cast<const char *>(sqlite3_column_text(m_statement, column));
    return QString::fromUtf8(utf8, sqlite3_column_bytes(m_statement, column));
}

qint64 SqliteStatement::integer(int column) const
{
    return sqlite3_column_int64(m_statement, column);
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
