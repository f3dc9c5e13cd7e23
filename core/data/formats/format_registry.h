#pragma once

#include "core/data/dataset.h"

#include <QDir>
#include <QString>
#include <QStringList>

#include <vector>

namespace msup {

// One dataset layout that openDataset() detects and indexes. Each format is one file of
// core/data/formats/ (its detect and index functions and this descriptor) and one line of the
// registry in format_registry.cpp; every list of format names (help, errors) is read from here.
struct DatasetFormat {
    const char* name; // the --format value, e.g. "kvasir-seg"
    const char* title; // what people call it, e.g. "Kvasir-SEG"
    const char* layout; // what its folder holds, for messages: "images/ and masks/ with matching file names"
    // Whether `dir` itself has this layout: file-name checks only, never a look into sub-folders'
    // sub-folders, so that detection in a large folder stays cheap.
    bool (*detect)(const QDir& dir);
    // The pairs of `dir` (nothing decoded). classes: the class set a --format suffix asks for, 0 =
    // the layout's own.
    Dataset (*index)(const QDir& dir, int classes);
    // Also named NAME-13 (and NAME-40) to choose the NYUDv2 class set; NAME-13 is listed as a name.
    bool classSets = false;
    // A dataset given as one file instead of a folder (the NYUDv2 .mat): both set or both null.
    bool (*detectFile)(const QString& path) = nullptr;
    Dataset (*indexFile)(const QString& path, int classes) = nullptr;
};

// Every format, in detection order: the most specific layouts first.
const std::vector<const DatasetFormat*>& datasetFormats();

// The format a --format value names: a format's name ("glas"), or for formats with class sets the
// name with a suffix choosing one ("nyudv2-mat-13", "nyudv2-labels-40"; without a suffix NYUDv2 has 40
// classes, or the class set the label PNGs' own names give). The class set asked for goes to *classes
// (0 = none). nullptr when no format has that name.
const DatasetFormat* findDatasetFormat(const QString& spec, int* classes = nullptr);

// Every --format value in registry order, each class-set form right after its format.
QStringList datasetFormatNames();
// The same for messages: "glas, cvc-clinicdb, ... nyudv2-labels or nyudv2-labels-13".
QString datasetFormatNamesText();

} // namespace msup
