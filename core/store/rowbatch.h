// Statements over many rows at once: a batch's rows are written (or looked up) in one statement
// on PostgreSQL, where every statement is a round trip, instead of one statement per row.
#pragma once

#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <QVector>

#include <functional>
#include <initializer_list>
#include <utility>

namespace waybill {

// The type a column has in the row source (PostgreSQL's array element type).
enum class ColumnType { Text, BigInt, Integer };

// Rows given one at a time, kept column by column.
class RowBatch final
{
public:
    RowBatch(std::initializer_list<std::pair<QString, ColumnType>> columns);
    // Columns known only when the program runs (a table's, as its schema says).
    explicit RowBatch(const QVector<std::pair<QString, ColumnType>> &columns);

    // One value per column, in the columns' order; a null QVariant is SQL NULL.
    void add(std::initializer_list<QVariant> row);
    void add(const QVariantList &row);
    int size() const { return m_rows; }
    bool isEmpty() const { return m_rows == 0; }

    const QStringList &names() const { return m_names; }
    const QVector<ColumnType> &types() const { return m_types; }
    const QVariant &value(int row, int column) const { return m_columns[column][row]; }

private:
    QStringList m_names;
    QVector<ColumnType> m_types;
    QVector<QVariantList> m_columns;
    int m_rows = 0;
};

// A result row of a statement run over a batch's rows, read the same way on either database.
class ResultRow
{
public:
    virtual ~ResultRow() = default;
    // A column, counted from 0.
    virtual QString text(int column) const = 0;
    virtual qint64 integer(int column) const = 0;
};

// Runs sql, in which "%ROWS%" stands for a FROM item named "batch" whose columns are the batch's
// (say "INSERT INTO t (a, b) SELECT a, b FROM %ROWS% WHERE true ON CONFLICT ..."; the WHERE is
// what lets SQLite read an upsert after a SELECT). On PostgreSQL the rows travel as one array per
// column and the statement runs once; on SQLite, where a statement costs no round trip, it runs
// over chunks of multi-row VALUES, bound straight to SQLite. Values are stored as QtSql would
// store them bound to a statement of its own. Each result row, if any (of a SELECT, or of
// "... RETURNING"), goes to row(). Nothing runs for an empty batch. Returns the rows the
// statement inserted, updated or deleted, or with result rows the rows it returned (a RETURNING
// returns one per row changed). Throws StoreError.
qint64 runForRowsReturning(const QSqlDatabase &db, const QString &sql, const RowBatch &rows,
    const std::function<void(const ResultRow &)> &row);
// The same for a statement whose result rows, if any, are not read.
qint64 runForRows(const QSqlDatabase &db, const QString &sql, const RowBatch &rows);

// PostgreSQL's text form of a one-dimensional array of these values (an element NULL where QtSql
// would bind NULL: a null QVariant, string or byte array), as "CAST(? AS text[])" reads it.
QString postgresArrayLiteral(const QVariantList &values);
// The same for strings (a null string, as QtSql would bind it, is NULL).
QString postgresArrayLiteral(const QStringList &values);

} // namespace waybill
