// SPDX-License-Identifier: GPL-3.0-or-later
// Flamenco job type of the Multi Render Blender extension: renders a queue
// of shots of one scene. Put this file in your Flamenco Manager's `scripts`
// folder (next to the flamenco-manager executable); jobs of this type are
// submitted by Multi Render (Render > Submit Shots to Flamenco, or
// `blender -c multi_render flamenco FILE`). Each task runs, on a Worker,
//   {blender} -c multi_render render BLENDFILE --shot-list '["A", "B"]' [--frames 1-10]
// for a group of shots or one chunk of a frame-range shot; the grouping is
// decided when the job is submitted, as for Multi Render's OpenJD bundles.
// The Workers' Blender needs Multi Render enabled in its profile.

const JOB_TYPE = {
    label: "Multi Render",
    description: "A shot queue of the Multi Render extension: each task renders some shots or a chunk of frames",
    settings: [
        // Multi Render compares this with its own and asks for a newer file when they differ.
        { key: "job_type_version", type: "int32", default: 2, visible: "hidden",
          description: "Version of this job type (multi_render.js)" },
        { key: "blendfile", type: "string", subtype: "file_path", required: true, visible: "web",
          description: "The .blend the Workers render (a copy on shared storage)" },
        { key: "as_file", type: "string", required: false, visible: "web",
          description: "The submitter's .blend: // and {blend_dir} in output paths mean its folder" },
        { key: "scene", type: "string", required: true, visible: "web",
          description: "The scene whose shots render" },
        { key: "started", type: "string", required: true, visible: "web",
          description: "The time {date} and {time} stand for, the same in every task" },
        { key: "skip_existing", type: "bool", default: false, visible: "web",
          description: "Render only shots whose files are missing" },
        { key: "tasks", type: "string", required: true, visible: "hidden",
          description: "The tasks: a JSON list of [shot names as a JSON list, frames or \"\"(, \"after\")]" },
    ],
};

function compileJob(job) {
    const settings = job.settings;
    const tasks = JSON.parse(settings.tasks);
    const rendering = [];
    for (let index = 0; index < tasks.length; index++) {
        const shots = tasks[index][0];
        const frames = tasks[index][1];
        // "after": a shot rendered in chunks gets its movie once every
        // rendering task is done (its frames are found, none rendered again).
        const after = tasks[index][2] === "after";
        const task = author.Task(taskName(index, JSON.parse(shots), frames, after), "blender");
        const args = [
            "-c", "multi_render", "render", settings.blendfile,
            "--shot-list", shots,
            "--scene=" + settings.scene,
            "--started=" + settings.started,
            "--skip-existing-value=" + (settings.skip_existing || after ? "true" : "false"),
        ];
        if (settings.as_file) {
            args.push("--as-file=" + settings.as_file);
        }
        if (frames) {
            args.push("--frames", frames);
        }
        // Not {blenderArgs}: its usual -y would run the file's scripts.
        task.addCommand(author.Command("blender-render", {
            exe: "{blender}",
            exeArgs: "",
            argsBefore: args,
            blendfile: "",
            args: [],
        }));
        if (after) {
            for (const earlier of rendering) {
                task.addDependency(earlier);
            }
        } else {
            rendering.push(task);
        }
        job.addTask(task);
    }
}

function taskName(index, names, frames, after) {
    let text = names.join(", ");
    if (text.length > 80) {
        text = text.substring(0, 77) + "...";
    }
    const number = String(index + 1).padStart(3, "0");
    const what = frames ? " frames " + frames : after ? " movie" : "";
    return number + " " + (names.length > 1 ? "shots " : "shot ") + text + what;
}
