// libFuzzer target: the command validators, for every command type. The first byte picks the
// type, the rest is the request body. Invariants: nothing crashes; every error has a message,
// and a path into the body unless it is about the body as a whole; a valid body is valid again
// when rebuilt from its parsed object, with the same data; nothing unstorable reaches the data;
// and the number literal reader finds every number where Qt's parser put it.
#include "domain/commandvalidation.h"
#include "domain/jsonnumberliteral.h"
#include "domain/storabletext.h"

#include <QJsonDocument>
#include <QSet>

#include <cstdio>
#include <cstdlib>

using namespace waybill;

namespace {

// Leaves checked against the literal reader per input, so that each run stays quick.
constexpr int kMaxLeaves = 64;

[[noreturn]] void fail(const char *what, const QByteArray &body)
{
    fprintf(stderr, "fuzz_commandvalidation: %s\nbody: %s\n", what, body.toHex().constData());
    abort();
}

QVector<CommandType> commandTypes()
{
    QVector<CommandType> types;
    for (int i = 0; !commandTypeName(CommandType(i)).isEmpty(); ++i)
        types.append(CommandType(i));
    return types;
}

// The value at all but the last step of the path: what an error's path must lead into. Keys
// are matched as iterating the object shows them (a key with a leading byte order mark shows a
// name by which QJsonObject cannot find it).
bool parentExists(const QJsonValue &root, const QJsonArray &path)
{
    QJsonValue at = root;
    for (qsizetype i = 0; i + 1 < path.size(); ++i) {
        const QJsonValue step = path.at(i);
        bool found = false;
        if (step.isString() && at.isObject()) {
            const QJsonObject object = at.toObject();
            for (auto it = object.begin(); it != object.end() && !found; ++it) {
                if (it.key() == step.toString()) {
                    at = it.value();
                    found = true;
                }
            }
        } else if (step.isDouble() && at.isArray() && step.toInteger() < at.toArray().size()) {
            at = at.toArray().at(step.toInteger());
            found = true;
        }
        if (!found)
            return false;
    }
    return true;
}

void checkStorable(const QJsonValue &value, const QByteArray &body)
{
    if (value.isString()) {
        if (findUnstorableCharacter(value.toString(), TextLines::Multiple))
            fail("unstorable text reached valid data", body);
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            checkStorable(it.value(), body);
    } else if (value.isArray()) {
        for (const QJsonValue &v : value.toArray())
            checkStorable(v, body);
    }
}

// Keys that QString shows alike though Qt keeps them apart (a leading byte order mark):
// validation refuses such a body, and no path can name one of them alone.
QSet<QString> aliasedKeys(const QJsonObject &object)
{
    QSet<QString> seen;
    QSet<QString> aliased;
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (seen.contains(it.key()))
            aliased.insert(it.key());
        seen.insert(it.key());
    }
    return aliased;
}

// Every number Qt found has its literal at the same path; nothing else has one.
void checkLiterals(
    const QJsonValue &value, const QJsonArray &path, const QByteArray &text, int *budget)
{
    if (--*budget < 0)
        return;
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        const QSet<QString> aliased = aliasedKeys(object);
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (aliased.contains(it.key()))
                continue;
            QJsonArray inner = path;
            inner.append(it.key());
            checkLiterals(it.value(), inner, text, budget);
        }
        return;
    }
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            QJsonArray inner = path;
            inner.append(int(i));
            checkLiterals(array.at(i), inner, text, budget);
        }
        return;
    }
    const std::optional<QByteArray> literal = jsonNumberLiteral(text, path);
    if (value.isDouble() != literal.has_value())
        fail("the literal reader and Qt disagree on whether a number is there", text);
    if (literal && literal->toDouble() != value.toDouble())
        fail("the literal reader found another number than Qt", text);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const QVector<CommandType> types = commandTypes();
    if (size < 1)
        return 0;
    const CommandType type = types.at(data[0] % types.size());
    const QByteArray text(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));

    CommandBody body;
    const ValidationErrors parseErrors = parseCommandBody(text, &body);
    for (const ValidationError &e : parseErrors) {
        if (e.message.isEmpty())
            fail("a parse error without a message", text);
    }
    if (!parseErrors.isEmpty())
        return 0;
    int budget = kMaxLeaves;
    if (!text.trimmed().isEmpty())
        checkLiterals(body.object, {}, text, &budget);

    QJsonObject recorded;
    const ValidationErrors errors = validateCommandBody(type, body, &recorded);
    for (const ValidationError &e : errors) {
        if (e.message.isEmpty())
            fail("an error without a message", text);
        // About the body as a whole: the invoice (never sent), or a body that has none of the
        // fields of which a command needs at least one (amend, reschedule, update).
        if (e.path.isEmpty() && type != CommandType::Invoice
            && !e.message.startsWith(QLatin1String("At least one of")))
            fail("an error about a field without its path", text);
        if (!parentExists(body.object, e.path))
            fail("an error whose path leads nowhere in the body", text);
    }
    if (!errors.isEmpty())
        return 0;
    if (!aliasedKeys(body.object).isEmpty())
        fail("a body with a key given twice is valid", text);

    checkStorable(recorded, text);
    // Valid again when rebuilt: from the object alone, and from its compact JSON text.
    QJsonObject again;
    if (!validateCommandBody(type, body.object, &again).isEmpty() || again != recorded)
        fail("a valid body is not valid again from its parsed object", text);
    CommandBody reparsed;
    if (!parseCommandBody(QJsonDocument(body.object).toJson(QJsonDocument::Compact), &reparsed)
             .isEmpty()
        || !validateCommandBody(type, reparsed, &again).isEmpty() || again != recorded)
        fail("a valid body is not valid again from its compact JSON", text);
    return 0;
}
