// A small, strict INI reader for waybill-server's config file: it keeps line numbers so that
// every complaint can point at the line to fix.
#pragma once

#include <QString>
#include <QVector>

#include <optional>

namespace waybill::cli {

struct IniEntry
{
    QString section; // "" before the first [section]
    QString key;
    QString value;
    int line = 0;
};

class IniFile final
{
public:
    // Reads and parses a file. On failure returns nothing and sets error to one line
    // ("FILE:LINE: what is wrong", or why the file could not be read).
    static std::optional<IniFile> load(const QString &path, QString *error);
    // Parses text; fileName only labels the messages.
    static std::optional<IniFile> parse(
        const QByteArray &text, const QString &fileName, QString *error);

    const QString &fileName() const { return m_fileName; }
    const QVector<IniEntry> &entries() const { return m_entries; }
    // The entry of a key, if present (a key given twice in one section is an error at parse time).
    const IniEntry *find(const QString &section, const QString &key) const;

private:
    QString m_fileName;
    QVector<IniEntry> m_entries;
};

} // namespace waybill::cli
