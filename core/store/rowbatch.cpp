#include "rowbatch.h"

#include "sql.h"
#include "sqlitestatement.h"

#include <QSqlQuery>

namespace waybill {

namespace {

QString typeName(ColumnType type)
{
    switch (type) {
    case ColumnType::BigInt:
        return QStringLiteral("bigint");
    case ColumnType::Integer:
        return QStringLiteral("integer");
    case ColumnType::Text:
        break;
    }
    return QStringLiteral("text");
}

// unnest(CAST(? AS text[]), ...) AS rows(a, ...): one bound array per column.
QString postgresRowSource(const RowBatch &rows)
{
    QStringList arrays;
    for (ColumnType type : rows.types())
        arrays << QStringLiteral("CAST(? AS %1[])").arg(typeName(type));
    return QStringLiteral("unnest(%1) AS batch(%2)")
        .arg(arrays.join(QStringLiteral(", ")), rows.names().join(QStringLiteral(", ")));
}

// (SELECT column1 AS a, ... FROM (VALUES (?, ...), ...)) AS rows, for count rows.
QString sqliteRowSource(const RowBatch &rows, int count)
{
    QStringList columns;
    for (int c = 0; c < rows.names().size(); ++c)
        columns << QStringLiteral("column%1 AS %2").arg(c + 1).arg(rows.names().at(c));
    QStringList marks;
    for (int c = 0; c < rows.names().size(); ++c)
        marks << QStringLiteral("?");
    const QString one = QLatin1Char('(') + marks.join(QStringLiteral(", ")) + QLatin1Char(')');
    QStringList values;
    for (int r = 0; r < count; ++r)
        values << one;
    return QStringLiteral("(SELECT %1 FROM (VALUES %2)) AS batch")
        .arg(columns.join(QStringLiteral(", ")), values.join(QStringLiteral(", ")));
}

} // namespace

RowBatch::RowBatch(std::initializer_list<std::pair<QString, ColumnType>> columns)
{
    for (const auto &[name, type] : columns) {
        m_names << name;
        m_types << type;
    }
    m_columns.resize(m_names.size());
}

RowBatch::RowBatch(const QVector<std::pair<QString, ColumnType>> &columns)
{
    for (const auto &[name, type] : columns) {
        m_names << name;
        m_types << type;
    }
    m_columns.resize(m_names.size());
}

void RowBatch::add(const QVariantList &row)
{
    Q_ASSERT(row.size() == m_names.size());
    for (int c = 0; c < m_names.size(); ++c)
        m_columns[c].append(row.at(c));
    ++m_rows;
}

void RowBatch::add(std::initializer_list<QVariant> row)
{
    Q_ASSERT(static_cast<int>(row.size()) == m_names.size());
    int c = 0;
    for (const QVariant &value : row)
        m_columns[c++].append(value);
    ++m_rows;
}

QString postgresArrayLiteral(const QVariantList &values)
{
    QString text;
    text.reserve(values.size() * 16 + 2);
    text += QLatin1Char('{');
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i > 0)
            text += QLatin1Char(',');
        const QVariant &value = values.at(i);
        if (isSqlNull(value)) {
            text += QLatin1String("NULL");
            continue;
        }
        // Every element quoted: then only the quote and the backslash need escaping.
        text += QLatin1Char('"');
        const QString element = value.toString();
        for (const QChar ch : element) {
            if (ch == QLatin1Char('"') || ch == QLatin1Char('\\'))
                text += QLatin1Char('\\');
            text += ch;
        }
        text += QLatin1Char('"');
    }
    text += QLatin1Char('}');
    return text;
}

QString postgresArrayLiteral(const QStringList &values)
{
    QVariantList variants;
    variants.reserve(values.size());
    for (const QString &value : values)
        variants.append(value);
    return postgresArrayLiteral(variants);
}

namespace {

class QueryRow final : public ResultRow
{
public:
    explicit QueryRow(const QSqlQuery &query)
        : m_query(query)
    { }
    QString text(int column) const override { return m_query.value(column).toString(); }
    qint64 integer(int column) const override { return m_query.value(column).toLongLong(); }

private:
    const QSqlQuery &m_query;
};

class StatementRow final : public ResultRow
{
public:
    explicit StatementRow(const SqliteStatement &statement)
        : m_statement(statement)
    { }
    QString text(int column) const override { return m_statement.text(column); }
    qint64 integer(int column) const override { return m_statement.integer(column); }

private:
    const SqliteStatement &m_statement;
};

// One statement over all the rows, one array per column.
qint64 runOnPostgres(const QSqlDatabase &db, const QString &sql, const RowBatch &rows,
    const std::function<void(const ResultRow &)> &row)
{
    QString statement = sql;
    statement.replace(QLatin1String("%ROWS%"), postgresRowSource(rows));
    QSqlQuery &query = preparedStatement(db, statement);
    for (int c = 0; c < rows.names().size(); ++c) {
        QVariantList column;
        column.reserve(rows.size());
        for (int r = 0; r < rows.size(); ++r)
            column.append(rows.value(r, c));
        query.bindValue(c, postgresArrayLiteral(column));
    }
    return execPrepared(query, statement, [&row](QSqlQuery &q) {
        if (row)
            row(QueryRow(q));
    });
}

// The statement over chunks of multi-row VALUES, bound straight to SQLite (through QtSql only if
// the connection has no SQLite handle).
qint64 runOnSqlite(const QSqlDatabase &db, const QString &sql, const RowBatch &rows,
    const std::function<void(const ResultRow &)> &row)
{
    const int columns = rows.names().size();
    // A few statement sizes, each prepared once per connection: any batch takes at most a
    // handful of statements.
    static constexpr int kChunks[] = { 64, 16, 4, 1 };
    int at = 0;
    qint64 changed = 0;
    for (const int chunk : kChunks) {
        while (rows.size() - at >= chunk) {
            QString statement = sql;
            statement.replace(QLatin1String("%ROWS%"), sqliteRowSource(rows, chunk));
            if (SqliteStatement *native = sqliteStatement(db, statement)) {
                int bind = 0;
                for (int r = at; r < at + chunk; ++r) {
                    for (int c = 0; c < columns; ++c)
                        native->bind(bind++, rows.value(r, c));
                }
                changed += native->run([&row](const SqliteStatement &s) {
                    if (row)
                        row(StatementRow(s));
                });
            } else {
                QSqlQuery &query = preparedStatement(db, statement);
                int bind = 0;
                for (int r = at; r < at + chunk; ++r) {
                    for (int c = 0; c < columns; ++c)
                        query.bindValue(bind++, rows.value(r, c));
                }
                changed += execPrepared(query, statement, [&row](QSqlQuery &q) {
                    if (row)
                        row(QueryRow(q));
                });
            }
            at += chunk;
        }
    }
    return changed;
}

} // namespace

qint64 runForRows(const QSqlDatabase &db, const QString &sql, const RowBatch &rows)
{
    return runForRowsReturning(db, sql, rows, {});
}

qint64 runForRowsReturning(const QSqlDatabase &db, const QString &sql, const RowBatch &rows,
    const std::function<void(const ResultRow &)> &row)
{
    if (rows.isEmpty())
        return 0;
    return isPostgres(db) ? runOnPostgres(db, sql, rows, row) : runOnSqlite(db, sql, rows, row);
}

} // namespace waybill
