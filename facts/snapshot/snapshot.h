/*
 * snapshot.h — what the snapshot reader and writer share.
 */
#ifndef KBDIAG_FACTS_SNAPSHOT_SNAPSHOT_H
#define KBDIAG_FACTS_SNAPSHOT_SNAPSHOT_H

#define SNAPSHOT_VERSION 1

#endif
