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

// A '#' or ';' that starts what follows a section header or follows a blank starts a comment
// that runs to the end of the line.
QString withoutComment(const QString &text)
{
    for (int i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if ((c == QLatin1Char('#') || c == QLatin1Char(';'))
            && (i == 0 || text.at(i - 1).isSpace()))
            return text.left(i).trimmed();
    }
    return text;
}

// The value after "key =". Unquoted, it runs to a comment ('#' or ';' at its start or after a
// blank) and loses its outer blanks; '#', ';' and '"' inside it are text ("pa#ss"). Quoted (it
// starts with '"'), it runs to the first '"' that ends the line or is followed by a blank and a
// comment, and holds anything else: blanks, '#', ';', quotes ("secret #1"). nullopt: a quoted
// value with no such end, which would otherwise have been read with the rest of the line.
std::optional<QString> valueOf(const QString &afterEquals)
{
    const QString text = afterEquals.trimmed();
    if (!text.startsWith(QLatin1Char('"')))
        return withoutComment(text);
    for (qsizetype q = text.indexOf(QLatin1Char('"'), 1); q > 0;
         q = text.indexOf(QLatin1Char('"'), q + 1)) {
        const QString after = text.mid(q + 1);
        if (after.isEmpty())
            return text.mid(1, q - 1);
        if (after.at(0).isSpace() && withoutComment(after.trimmed()).isEmpty())
            return text.mid(1, q - 1);
    }
    return std::nullopt;
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
        if (line.startsWith(QLatin1Char('['))) {
            line = withoutComment(line);
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
        entry.line = lineNumber;
        if (!isValidName(entry.key))
            return fail(lineNumber,
                QCoreApplication::translate("IniFile", "\"%1\" is not a valid key name")
                    .arg(entry.key));
        const std::optional<QString> value = valueOf(line.mid(equals + 1));
        if (!value)
            return fail(lineNumber,
                QCoreApplication::translate("IniFile",
                    "the value of \"%1\" starts with a double quote but does not end with one "
                    "(only a comment may follow it, after a blank)")
                    .arg(entry.key));
        entry.value = *value;
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
