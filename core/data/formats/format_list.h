// The dataset-format registry: one line per format, in detection order (the most specific layouts
// first; generic — images/ and masks/ with a classes.json or palette masks — before Kvasir-SEG,
// images/ and masks/ alone). Each NAME is a `const DatasetFormat` defined in its own file of this
// folder (formats::NAME); format_registry.cpp reads this list twice, to declare and to list them.
// No include guard: this file is meant to be included more than once.
MSUP_DATASET_FORMAT(glas)
MSUP_DATASET_FORMAT(cvcClinicDb)
MSUP_DATASET_FORMAT(praNet)
MSUP_DATASET_FORMAT(generic)
MSUP_DATASET_FORMAT(kvasirSeg)
MSUP_DATASET_FORMAT(sceneLabels)
MSUP_DATASET_FORMAT(nyudv2Mat)
MSUP_DATASET_FORMAT(nyudv2Labels)
