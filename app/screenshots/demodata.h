// A small, believable office week for screenshots and demos: accounts, trucks and shipments in
// every state, made through the API like any clerk's work.
#pragma once

#include "client/commandsender.h"

#include <QObject>
#include <QVector>

#include <functional>

namespace waybill::app {

class Session;

class DemoData final : public QObject
{
    Q_OBJECT
public:
    explicit DemoData(Session *session, QObject *parent = nullptr);

    // The commands, in the order they are sent.
    static QVector<CommandRequest> commands();
    // The number of shipments they submit.
    static int shipments();
    // The number of deliveries among them (each becomes one invoice).
    static int deliveries();
    // Sends them one after another; done gets an error for people, or nothing.
    void seed(std::function<void(const QString &error)> done);

private:
    void sendNext();

    Session *m_session;
    QVector<CommandRequest> m_commands;
    int m_next = 0;
    std::function<void(const QString &)> m_done;
};

} // namespace waybill::app
