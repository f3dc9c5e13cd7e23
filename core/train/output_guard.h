#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

namespace msup {

// Outputs never replace inputs. Every command that writes predictions or reports into a folder the
// user names (predict, export, report, robustness --csv; the GUI's Export predictions…) goes through
// an OutputFolder:
// - a folder that is a recognised dataset, or lies inside one (its images/, masks/, ...), is refused
//   outright, with a sibling `<dataset>-<suffix>` folder suggested;
// - an existing file is replaced only when this program wrote it there earlier: the folder keeps a
//   small manifest, `.masksup-outputs.json`, of the files masksup wrote into it. Any other file
//   (an image, a mask, an annotation, classes.json, a file the user made) is refused, naming it.
class OutputFolder {
public:
    // Checks the folder (it need not exist yet) and reads its manifest. `command` is recorded with
    // each file ("predict", "export", "report", ...). Throws msup::Error naming the folder and the
    // dataset when it is or lies inside a recognised dataset.
    OutputFolder(const QString& dir, const QString& command,
        const QString& suggestionSuffix = QStringLiteral("predictions"));

    QString path() const { return m_dir; } // absolute
    static QString manifestName();

    // The files about to be written (absolute paths in this folder). Throws msup::Error naming the
    // first files (up to 3) that exist and were not written by masksup, or that are in `inputs`,
    // suggesting an output folder; nothing is written then. Returns how many of them exist (earlier
    // outputs of masksup that will be replaced).
    int claim(const QStringList& paths, const QStringList& inputs = {});
    // Records the claimed files in the manifest (atomically). Call after claim(), before writing them.
    void commit();

    // The dataset root `dir` is or lies inside ("" when none). Looks at the folder and up to three
    // parents (directory listings only).
    static QString enclosingDataset(const QString& dir);
    // `<dataset>-<suffix>` beside the dataset folder (the default output folder for its predictions).
    static QString suggestedFolderFor(
        const QString& datasetRoot, const QString& suffix = QStringLiteral("predictions"));

private:
    QString m_dir;
    QString m_command;
    QString m_suffix;
    QHash<QString, QString> m_manifest; // file name -> command that wrote it
    QStringList m_claimed;
};

} // namespace msup
