/*
 * snapshot.h — what the snapshot reader and writer share.
 */
#ifndef KBF_SNAPSHOT_H
#define KBF_SNAPSHOT_H

#define SNAPSHOT_VERSION 1

#endif
