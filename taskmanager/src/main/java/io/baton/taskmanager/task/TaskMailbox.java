package io.baton.taskmanager.task;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Actions that other threads hand to a task's thread, which runs them between records, so they
 * never race with the operator chain.
 */
final class TaskMailbox {
  /** An action for the task's thread. */
  @FunctionalInterface
  interface Mail {
    void run() throws Exception;
  }

  private final ConcurrentLinkedQueue<Mail> mails = new ConcurrentLinkedQueue<>();
  private final TaskLifecycle lifecycle;
  private final Thread taskThread;
  // wakes a task waiting on its inputs; an idle source parks and is unparked instead
  private volatile Runnable wakeInputs = () -> {};

  TaskMailbox(TaskLifecycle lifecycle, Thread taskThread) {
    this.lifecycle = lifecycle;
    this.taskThread = taskThread;
  }

  /**
   * Queues an action for the task's thread.
   *
   * @return false when the task has ended or is ending (the action is dropped)
   */
  boolean post(Mail mail) {
    if (lifecycle.isEndingOrEnded()) {
      return false;
    }
    mails.add(mail);
    // an idle task waits long (it does not poll): wake it so the action runs now
    LockSupport.unpark(taskThread);
    wakeInputs.run();
    return true;
  }

  /** What wakes the task's thread while it waits on its inputs; set before it first waits. */
  void wakeInputsWith(Runnable action) {
    wakeInputs = action;
  }

  /** Runs every queued action; called by the task's thread between steps. */
  void processMail() throws Exception {
    Mail mail;
    while ((mail = mails.poll()) != null) {
      mail.run();
    }
  }
}
