#include "inifile.h"

#include <QCoreApplication>
#include <QFile>
#include <QRegularExpression>

namespace waybill::cli {

namespace {

QString located(const QString &fileName, int line, const QString &message)
{
    return QStringLiteral("%1:%2: %3").arg(fileName, QString::number(line), message);
}

bool isValidName(const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_.-]*$"));
    return pattern.match(name).hasMatch();
}

// A '#' or ';' that starts the value or follows a blank, outside double quotes, starts a comment
// that runs to the end of the line. Inside a value ("pa#ss", a URL's "#fragment") they are
// text, and a quoted value may hold anything ("secret #1").
QString withoutInlineComment(const QString &line)
{
    const int equals = line.indexOf(QLatin1Char('='));
    bool quoted = false;
    for (int i = equals < 0 ? 0 : equals + 1; i < line.size(); ++i) {
        const QChar c = line.at(i);
        if (c == QLatin1Char('"')) {
            quoted = !quoted;
            continue;
        }
        if (quoted || (c != QLatin1Char('#') && c != QLatin1Char(';')))
            continue;
        const QString before = line.mid(equals + 1, i - equals - 1);
        if (i == equals + 1 || line.at(i - 1).isSpace() || before.trimmed().isEmpty())
            return line.left(i).trimmed();
    }
    return line;
}

} // namespace

std::optional<IniFile> IniFile::load(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QCoreApplication::translate("IniFile", "cannot read the config file %1: %2")
                         .arg(path, file.errorString());
        return std::nullopt;
    }
    return parse(file.readAll(), path, error);
}

std::optional<IniFile> IniFile::parse(
    const QByteArray &text, const QString &fileName, QString *error)
{
    auto fail = [&](int line, const QString &message) -> std::optional<IniFile> {
        if (error)
            *error = located(fileName, line, message);
        return std::nullopt;
    };

    IniFile ini;
    ini.m_fileName = fileName;
    QString section;
    const QString content = QString::fromUtf8(text);
    const QStringList lines = content.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        const int lineNumber = i + 1;
        QString line = lines.at(i);
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        line = line.trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#'))
            || line.startsWith(QLatin1Char(';')))
            continue;
        line = withoutInlineComment(line);
        if (line.startsWith(QLatin1Char('['))) {
            if (!line.endsWith(QLatin1Char(']')))
                return fail(lineNumber,
                    QCoreApplication::translate("IniFile", "a section header must end with ]"));
            section = line.mid(1, line.size() - 2).trimmed();
            if (!isValidName(section))
                return fail(lineNumber,
                    QCoreApplication::translate("IniFile", "\"%1\" is not a valid section name")
                        .arg(section));
            continue;
        }
        const int equals = line.indexOf(QLatin1Char('='));
        if (equals < 0)
            return fail(lineNumber,
                QCoreApplication::translate("IniFile", "expected key = value or [section]"));
        IniEntry entry;
        entry.section = section;
        entry.key = line.left(equals).trimmed();
        entry.value = line.mid(equals + 1).trimmed();
        entry.line = lineNumber;
        if (!isValidName(entry.key))
            return fail(lineNumber,
                QCoreApplication::translate("IniFile", "\"%1\" is not a valid key name")
                    .arg(entry.key));
        // A value may be quoted to keep leading or trailing spaces.
        if (entry.value.size() >= 2 && entry.value.startsWith(QLatin1Char('"'))
            && entry.value.endsWith(QLatin1Char('"')))
            entry.value = entry.value.mid(1, entry.value.size() - 2);
        if (const IniEntry *earlier = ini.find(entry.section, entry.key))
            return fail(lineNumber,
                QCoreApplication::translate("IniFile", "\"%1\" is already set on line %2")
                    .arg(entry.key)
                    .arg(earlier->line));
        ini.m_entries.append(entry);
    }
    return ini;
}

const IniEntry *IniFile::find(const QString &section, const QString &key) const
{
    for (const IniEntry &entry : m_entries) {
        if (entry.section == section && entry.key == key)
            return &entry;
    }
    return nullptr;
}

} // namespace waybill::cli
