#include "planboardshots.h"

#include "client/commandsender.h"
#include "domain/timeformat.h"
#include "models/planboardmodel.h"
#include "models/trucktablemodel.h"
#include "session/session.h"
#include "views/mainwindow.h"
#include "views/planboard.h"
#include "views/planboardcanvas.h"
#include "views/planboarddialogs.h"

#include <QApplication>
#include <QComboBox>
#include <QMouseEvent>
#include <QTabWidget>

namespace waybill::app {

namespace {
constexpr qint64 kHourMs = 3600 * 1000;

QJsonObject window(qint64 fromMs, qint64 toMs)
{
    return { { QStringLiteral("from"), toIsoUtc(QDateTime::fromMSecsSinceEpoch(fromMs).toUTC()) },
        { QStringLiteral("to"), toIsoUtc(QDateTime::fromMSecsSinceEpoch(toMs).toUTC()) } };
}

QJsonObject windows(qint64 pickupMs, int pickupHours, qint64 deliveryMs, int deliveryHours)
{
    return { { QStringLiteral("pickupWindow"), window(pickupMs, pickupMs + pickupHours * kHourMs) },
        { QStringLiteral("deliveryWindow"),
            window(deliveryMs, deliveryMs + deliveryHours * kHourMs) } };
}

QJsonObject place(const char *company, const char *city, const char *zip)
{
    return { { QStringLiteral("name"), QString::fromUtf8(company) },
        { QStringLiteral("line1"), QStringLiteral("100 Commerce St") },
        { QStringLiteral("city"), QString::fromUtf8(city) },
        { QStringLiteral("state"), QStringLiteral("TX") },
        { QStringLiteral("zip"), QString::fromUtf8(zip) } };
}

// Sends the commands one after another; a refused one (a truck full in the demo) is skipped.
void sendAll(
    Session &session, const QVector<CommandRequest> &commands, const PlanboardShots::Wait &wait)
{
    for (const CommandRequest &request : commands) {
        bool answered = false;
        QObject context;
        session.commands()->send(
            request, &context, [&answered](const CommandResult &) { answered = true; });
        wait([&answered] { return answered; }, 10000);
    }
}

void mouse(QWidget *widget, QEvent::Type type, const QPoint &pos, Qt::MouseButton button,
    Qt::MouseButtons buttons)
{
    QMouseEvent event(
        type, QPointF(pos), QPointF(widget->mapToGlobal(pos)), button, buttons, Qt::NoModifier);
    QCoreApplication::sendEvent(widget, &event);
}
} // namespace

QStringList PlanboardShots::names()
{
    return { QStringLiteral("planboard.png"), QStringLiteral("planboard-refused.png"),
        QStringLiteral("planboard-move-all.png") };
}

int PlanboardShots::render(MainWindow &window, Session &session, const Save &save, const Wait &wait)
{
    window.tabs()->setCurrentIndex(MainWindow::PlanboardTab);
    PlanBoard *board = window.planboard();
    PlanBoardModel *model = board->model();
    board->refresh();
    wait([model] { return model->hasLoaded() && !model->isLoading(); }, 20000);

    // A working week around today: the demo's loads get windows, and a few more loads come.
    QDateTime midnight = QDateTime::currentDateTime();
    midnight.setTime(QTime(0, 0));
    const qint64 base = midnight.toMSecsSinceEpoch() - 2 * 24 * kHourMs;
    QVector<CommandRequest> commands;
    int n = 0;
    for (const PlanLoad &load : model->loads()) {
        if (load.hasWindow)
            continue;
        const qint64 pickup = base + (n % 6) * 24 * kHourMs + (6 + (n * 5) % 9) * kHourMs;
        const qint64 delivery = pickup + (6 + (n * 7) % 20) * kHourMs;
        QJsonObject body = windows(pickup, 3, delivery, 4);
        if (load.state.status == ShipmentStatus::Shipped)
            body.remove(QStringLiteral("pickupWindow")); // picked up already
        commands.append({ CommandType::Reschedule, load.state.id, body });
        ++n;
    }
    static const char *const cities[][3] = { { "Gulf Marine Parts", "Corpus Christi", "78401" },
        { "Route 66 Furniture", "Amarillo", "79101" }, { "Brazos Books", "Waco", "76701" },
        { "Stockyards Supply", "Fort Worth", "76102" }, { "Bayou Bottling", "Houston", "77002" },
        { "Trinity Hardware", "Dallas", "75201" } };
    for (int i = 0; i < 28; ++i) {
        const QString id = QStringLiteral("S-%1").arg(2001 + i);
        commands.append({ CommandType::Submit, id,
            { { QStringLiteral("shipFrom"),
                  place(cities[i % 6][0], cities[i % 6][1], cities[i % 6][2]) },
                { QStringLiteral("shipTo"),
                    place(cities[(i + 2) % 6][0], cities[(i + 2) % 6][1], cities[(i + 2) % 6][2]) },
                { QStringLiteral("weightInPounds"), 150 + (i * 173) % 900 },
                { QStringLiteral("billToAccountId"), QStringLiteral("EVERGREEN-FARMS") } } });
        const qint64 pickup = base + (i % 7) * 24 * kHourMs + (7 + (i * 3) % 8) * kHourMs;
        const qint64 delivery = pickup + (5 + (i * 11) % 30) * kHourMs;
        commands.append({ CommandType::Reschedule, id, windows(pickup, 2 + i % 3, delivery, 4) });
        if (i % 4 != 3) {
            const QString truck = QStringLiteral("T-%1").arg(101 + (i * 3) % 10);
            commands.append({ CommandType::Assign, id, { { QStringLiteral("truckId"), truck } } });
        }
        if (i % 4 == 0 && pickup < QDateTime::currentMSecsSinceEpoch())
            commands.append({ CommandType::Ship, id, {} });
    }
    // Another breakdown, with loads on board this time.
    commands.append({ CommandType::OutOfService, QStringLiteral("T-107"),
        { { QStringLiteral("reason"), QStringLiteral("Gearbox warning light") } } });
    sendAll(session, commands, wait);
    window.truckModel()->reload();
    board->refresh();
    wait([model] { return model->hasLoaded() && !model->isLoading(); }, 20000);
    wait([] { return false; }, 600); // the truck list and the live refreshes settle

    int written = 0;
    board->setRange(PlanBoard::Range::Week);
    board->showNow();
    board->truckCanvas()->setFocus();
    // Two waiting loads picked, ready to be assigned together.
    QStringList picked;
    for (int index : model->tray()) {
        const PlanLoad &load = model->loads().at(index);
        if (load.startMs > QDateTime::currentMSecsSinceEpoch() && picked.size() < 2)
            picked.append(load.state.id);
    }
    board->setSelection(picked);
    written += save(&window, names().at(0)) ? 1 : 0;
    board->setSelection({});

    // Dragging a waiting load over the broken-down truck: refused before it is dropped.
    board->setRange(PlanBoard::Range::Day);
    board->showNow();
    PlanBoardCanvas *tray = board->trayCanvas();
    PlanBoardCanvas *trucks = board->truckCanvas();
    const int broken = model->truckRow(QStringLiteral("T-104"));
    if (!model->tray().isEmpty() && broken >= 0) {
        // The waiting load nearest to now.
        QString id;
        qint64 nearest = std::numeric_limits<qint64>::max();
        for (int index : model->tray()) {
            const PlanLoad &load = model->loads().at(index);
            const qint64 distance = std::abs(load.startMs - QDateTime::currentMSecsSinceEpoch());
            if (distance < nearest) {
                nearest = distance;
                id = load.state.id;
            }
        }
        tray->ensureLoadVisible(id);
        trucks->ensureRowVisible(broken);
        const QPoint start = tray->barRect(id).center();
        const QPoint over = tray->viewport()->mapFromGlobal(trucks->viewport()->mapToGlobal(
            QPoint(trucks->plotRect().center().x(), trucks->rowRect(broken).center().y())));
        mouse(tray->viewport(), QEvent::MouseButtonPress, start, Qt::LeftButton, Qt::LeftButton);
        mouse(
            tray->viewport(), QEvent::MouseMove, (start + over) / 2, Qt::NoButton, Qt::LeftButton);
        mouse(tray->viewport(), QEvent::MouseMove, over, Qt::NoButton, Qt::LeftButton);
        written += save(&window, names().at(1)) ? 1 : 0;
        board->cancelDrag();
        mouse(tray->viewport(), QEvent::MouseButtonRelease, over, Qt::LeftButton, Qt::NoButton);
    }

    // Every load off the broken-down truck: what moved, what was refused and why.
    const int gearbox = model->truckRow(QStringLiteral("T-107"));
    if (gearbox >= 0) {
        trucks->setCurrent(gearbox, {});
        board->openMoveAll(QStringLiteral("T-107"));
        if (auto *chooser = board->findChild<PlanTruckDialog *>()) {
            chooser->setTruckId(QStringLiteral("T-101"));
            chooser->accept();
            wait([board] { return board->summary() != nullptr; }, 20000);
            if (PlanSummaryDialog *summary = board->summary()) {
                summary->resize(620, 360);
                written += save(summary, names().at(2)) ? 1 : 0;
                summary->close();
            }
        }
    }
    return written;
}

} // namespace waybill::app
