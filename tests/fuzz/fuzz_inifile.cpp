// libFuzzer target: the config file's INI reader. Invariants: nothing crashes; a refusal is one
// line that names the file and a line that exists; what is accepted has valid names, no key
// twice in a section and rising line numbers; and the entries, written back out (every value
// quoted), read again as the same entries.
#include "inifile.h"

#include <QSet>

#include <cstdio>
#include <cstdlib>

using namespace waybill::cli;

namespace {

[[noreturn]] void fail(const char *what, const QByteArray &text)
{
    fprintf(stderr, "fuzz_inifile: %s\ntext: %s\n", what, text.toHex().constData());
    abort();
}

QByteArray writeBack(const QVector<IniEntry> &entries)
{
    QByteArray text;
    QString section;
    for (const IniEntry &e : entries) {
        if (e.section != section) {
            text += '[' + e.section.toUtf8() + "]\n";
            section = e.section;
        }
        text += e.key.toUtf8() + " = \"" + e.value.toUtf8() + "\"\n";
    }
    return text;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));
    const int lines = int(text.count('\n')) + 1;
    QString error;
    const std::optional<IniFile> ini = IniFile::parse(text, QStringLiteral("fuzz.ini"), &error);
    if (!ini) {
        if (!error.startsWith(QLatin1String("fuzz.ini:")) || error.contains(QLatin1Char('\n')))
            fail("a refusal that does not name the file, or runs over one line", text);
        const int line = error.section(QLatin1Char(':'), 1, 1).toInt();
        if (line < 1 || line > lines)
            fail("a refusal that names a line the file does not have", text);
        return 0;
    }
    QSet<QPair<QString, QString>> seen;
    int lastLine = 0;
    for (const IniEntry &e : ini->entries()) {
        if (e.key.isEmpty() || e.line <= lastLine || e.line > lines)
            fail("an entry without a key, or with a line out of order", text);
        lastLine = e.line;
        if (seen.contains({ e.section, e.key }))
            fail("a key accepted twice in one section", text);
        seen.insert({ e.section, e.key });
        if (ini->find(e.section, e.key) != &e)
            fail("find() does not give the entry", text);
    }
    const QByteArray again = writeBack(ini->entries());
    const std::optional<IniFile> reread
        = IniFile::parse(again, QStringLiteral("again.ini"), &error);
    if (!reread)
        fail(qPrintable(QStringLiteral("written back, the entries are refused: ") + error), text);
    if (reread->entries().size() != ini->entries().size())
        fail("written back, the entries are not as many", text);
    for (qsizetype i = 0; i < ini->entries().size(); ++i) {
        const IniEntry &a = ini->entries().at(i);
        const IniEntry &b = reread->entries().at(i);
        if (a.section != b.section || a.key != b.key || a.value != b.value)
            fail("written back, an entry reads otherwise", text);
    }
    return 0;
}
