<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi" sourcelanguage="en">
<context>
    <name>Panels</name>
    <message>
        <source>Start</source>
        <translation>Bắt đầu</translation>
    </message>
    <message>
        <source>Create a project, open one, or pick up a recent one.</source>
        <translation>Tạo dự án mới, mở một dự án có sẵn hoặc tiếp tục một dự án gần đây.</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Dữ liệu</translation>
    </message>
    <message>
        <source>Browse, clean and annotate the project&apos;s datasets.</source>
        <translation>Duyệt, làm sạch và gán nhãn các bộ dữ liệu của dự án.</translation>
    </message>
    <message>
        <source>Ranking</source>
        <translation>Xếp hạng</translation>
    </message>
    <message>
        <source>Compare model answers side by side and rank them from the keyboard; the judgements become preference data.</source>
        <translation>So sánh song song các câu trả lời của mô hình và xếp hạng chúng bằng bàn phím; các đánh giá trở thành dữ liệu ưu tiên.</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Huấn luyện</translation>
    </message>
    <message>
        <source>Launch fine-tuning, reward-model and DPO runs on this computer and follow their loss curves live.</source>
        <translation>Chạy tinh chỉnh, huấn luyện mô hình phần thưởng và DPO ngay trên máy này, theo dõi trực tiếp đường cong hàm mất mát.</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Trò chuyện</translation>
    </message>
    <message>
        <source>Chat with local models, compare two of them side by side and keep the better answer as a preference.</source>
        <translation>Trò chuyện với các mô hình cục bộ, so sánh song song hai mô hình và giữ câu trả lời tốt hơn làm dữ liệu ưu tiên.</translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>Đánh giá</translation>
    </message>
    <message>
        <source>Score models on Vietnamese benchmarks, measure agreement between annotators and compare runs.</source>
        <translation>Chấm điểm mô hình trên các bộ đánh giá tiếng Việt, đo mức đồng thuận giữa những người gán nhãn và so sánh các lần chạy.</translation>
    </message>
</context>
<context>
    <name>QGnomeTheme</name>
    <message>
        <source>&amp;OK</source>
        <translation>Đồn&amp;g ý</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Lưu</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Hủy</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>Đón&amp;g</translation>
    </message>
    <message>
        <source>Close without Saving</source>
        <translation>Đóng mà không lưu</translation>
    </message>
</context>
<context>
    <name>QLineEdit</name>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Hoàn tác</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Làm lại</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>Cắ&amp;t</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Sao chép</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>&amp;Dán</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <source>Select All</source>
        <translation>Chọn tất cả</translation>
    </message>
</context>
<context>
    <name>QMessageBox</name>
    <message>
        <source>Show Details...</source>
        <translation>Hiện chi tiết...</translation>
    </message>
    <message>
        <source>Hide Details...</source>
        <translation>Ẩn chi tiết...</translation>
    </message>
    <message>
        <source>About Qt</source>
        <translation>Giới thiệu Qt</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>Đồng ý</translation>
    </message>
</context>
<context>
    <name>QPlatformTheme</name>
    <message>
        <source>OK</source>
        <translation>Đồng ý</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Save All</source>
        <translation>Lưu tất cả</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Mở</translation>
    </message>
    <message>
        <source>&amp;Yes</source>
        <translation>&amp;Có</translation>
    </message>
    <message>
        <source>Yes to &amp;All</source>
        <translation>Có với &amp;tất cả</translation>
    </message>
    <message>
        <source>&amp;No</source>
        <translation>&amp;Không</translation>
    </message>
    <message>
        <source>N&amp;o to All</source>
        <translation>K&amp;hông với tất cả</translation>
    </message>
    <message>
        <source>Abort</source>
        <translation>Hủy bỏ</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Thử lại</translation>
    </message>
    <message>
        <source>Ignore</source>
        <translation>Bỏ qua</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Bỏ đi</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Trợ giúp</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Áp dụng</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>Đặt lại</translation>
    </message>
    <message>
        <source>Restore Defaults</source>
        <translation>Khôi phục mặc định</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::AboutDialog</name>
    <message>
        <source>About vietllm</source>
        <translation>Giới thiệu vietllm</translation>
    </message>
    <message>
        <source>A desktop workbench for the Vietnamese LLM community: dataset browsing and annotation, ranking, training, chat and evaluation, offline and in one program.</source>
        <translation>Bàn làm việc trên máy tính dành cho cộng đồng mô hình ngôn ngữ lớn tiếng Việt: duyệt và gán nhãn dữ liệu, xếp hạng, huấn luyện, trò chuyện và đánh giá, chạy ngoại tuyến trong một chương trình duy nhất.</translation>
    </message>
    <message>
        <source>Built with Qt %1; running on Qt %2.</source>
        <translation>Biên dịch với Qt %1; đang chạy trên Qt %2.</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::AnnotationPanel</name>
    <message>
        <source>Enter an annotator name first.</source>
        <translation>Hãy nhập tên người gán nhãn trước.</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>Nhãn</translation>
    </message>
    <message>
        <source>&amp;Annotator:</source>
        <translation>&amp;Tên người gán nhãn:</translation>
    </message>
    <message>
        <source>&amp;Quality (1-5):</source>
        <translation>&amp;Chất lượng (1-5):</translation>
    </message>
    <message>
        <source>&amp;Helpfulness (1-5):</source>
        <translation>&amp;Hữu ích (1-5):</translation>
    </message>
    <message>
        <source>Spam</source>
        <translation>Rác (spam)</translation>
    </message>
    <message>
        <source>Not Vietnamese</source>
        <translation>Không phải tiếng Việt</translation>
    </message>
    <message>
        <source>Personal data (PII)</source>
        <translation>Dữ liệu cá nhân (PII)</translation>
    </message>
    <message>
        <source>Toxic</source>
        <translation>Độc hại</translation>
    </message>
    <message>
        <source>Bad translation</source>
        <translation>Dịch kém</translation>
    </message>
    <message>
        <source>N&amp;ote:</source>
        <translation>Nhận &amp;xét:</translation>
    </message>
    <message>
        <source>quality; 0 clears</source>
        <translation>chất lượng; 0 để xóa</translation>
    </message>
    <message>
        <source>helpfulness; Alt+0 clears</source>
        <translation>mức hữu ích; Alt+0 để xóa</translation>
    </message>
    <message>
        <source>spam, not Vietnamese, PII, toxic, bad translation</source>
        <translation>rác, không phải tiếng Việt, PII, độc hại, dịch kém</translation>
    </message>
    <message>
        <source>write a note / back to the table</source>
        <translation>viết nhận xét / quay lại bảng</translation>
    </message>
    <message>
        <source>previous / next record</source>
        <translation>bản ghi trước / sau</translation>
    </message>
    <message>
        <source>search</source>
        <translation>tìm kiếm</translation>
    </message>
    <message>
        <source>add, delete, move a turn</source>
        <translation>thêm, xóa, di chuyển một lượt</translation>
    </message>
    <message>
        <source>undo, redo, save the record</source>
        <translation>hoàn tác, làm lại, lưu bản ghi</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Phím</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Thao tác</translation>
    </message>
    <message>
        <source>Done %1 / %2 records, %3 skipped, %4 drafts</source>
        <translation>Xong %1 / %2 bản ghi, bỏ qua %3, nháp %4</translation>
    </message>
    <message>
        <source>Labels of the selected message</source>
        <translation>Nhãn của tin nhắn đang chọn</translation>
    </message>
    <message>
        <source>mark done (a draft until then), next record</source>
        <translation>đánh dấu xong (trước đó là nháp), sang bản ghi sau</translation>
    </message>
    <message>
        <source>skip the record, next record</source>
        <translation>bỏ qua bản ghi, sang bản ghi sau</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::BulkActionDialog</name>
    <message>
        <source>Run text checks…</source>
        <translation>Kiểm tra văn bản…</translation>
    </message>
    <message>
        <source>Find duplicates…</source>
        <translation>Tìm bản trùng…</translation>
    </message>
    <message>
        <source>Add tag…</source>
        <translation>Thêm thẻ…</translation>
    </message>
    <message>
        <source>Remove tag…</source>
        <translation>Gỡ thẻ…</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>Xóa…</translation>
    </message>
    <message>
        <source>Move or copy to dataset…</source>
        <translation>Chuyển hoặc sao chép sang bộ dữ liệu…</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>Bản ghi</translation>
    </message>
    <message numerus="yes">
        <source>The %n selected record(s)</source>
        <translation>
            <numerusform>%n bản ghi đang chọn</numerusform>
        </translation>
    </message>
    <message>
        <source>All records matching the current filter (%1)</source>
        <translation>Mọi bản ghi khớp bộ lọc hiện tại (%1)</translation>
    </message>
    <message>
        <source>Normalize the text (NFC, tone marks, spaces), as saving does</source>
        <translation>Chuẩn hóa văn bản (NFC, dấu thanh, khoảng trắng) như khi lưu</translation>
    </message>
    <message>
        <source>Identify the language (label lang:xx; fills message languages)</source>
        <translation>Nhận diện ngôn ngữ (nhãn lang:xx; điền ngôn ngữ cho tin nhắn)</translation>
    </message>
    <message>
        <source>Flag quality, PII and toxicity problems (labels check:…)</source>
        <translation>Đánh dấu vấn đề chất lượng, dữ liệu cá nhân và độc hại (nhãn check:…)</translation>
    </message>
    <message>
        <source>Also near duplicates (MinHash)</source>
        <translation>Cả bản gần trùng (MinHash)</translation>
    </message>
    <message>
        <source>Tag them &quot;duplicate&quot;</source>
        <translation>Gắn thẻ &quot;duplicate&quot;</translation>
    </message>
    <message>
        <source>Delete them</source>
        <translation>Xóa chúng</translation>
    </message>
    <message>
        <source>Similarity from:</source>
        <translation>Độ tương đồng từ:</translation>
    </message>
    <message>
        <source>Duplicates (the first of each group is kept):</source>
        <translation>Bản trùng (giữ bản đầu tiên của mỗi nhóm):</translation>
    </message>
    <message>
        <source>Tag:</source>
        <translation>Thẻ:</translation>
    </message>
    <message>
        <source>Move (with labels and rankings)</source>
        <translation>Chuyển (kèm nhãn và xếp hạng)</translation>
    </message>
    <message>
        <source>Copy (the data only)</source>
        <translation>Sao chép (chỉ dữ liệu)</translation>
    </message>
    <message>
        <source>an existing dataset or a new name</source>
        <translation>một bộ dữ liệu có sẵn hoặc tên mới</translation>
    </message>
    <message>
        <source>Action:</source>
        <translation>Thao tác:</translation>
    </message>
    <message>
        <source>Dataset:</source>
        <translation>Bộ dữ liệu:</translation>
    </message>
    <message>
        <source>The records are deleted with their labels and rankings.</source>
        <translation>Các bản ghi bị xóa cùng nhãn và xếp hạng của chúng.</translation>
    </message>
    <message>
        <source>You confirm the number of records before anything changes.</source>
        <translation>Bạn xác nhận số bản ghi trước khi có gì thay đổi.</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::ChatListModel</name>
    <message>
        <source>Untitled chat</source>
        <translation>Cuộc trò chuyện chưa đặt tên</translation>
    </message>
    <message>
        <source>Updated %1</source>
        <translation>Cập nhật %1</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::ChatModelListModel</name>
    <message>
        <source>%1 (%2, %3)</source>
        <translation>%1 (%2, %3)</translation>
    </message>
    <message>
        <source>%1 › step %2 (%3)</source>
        <translation>%1 › bước %2 (%3)</translation>
    </message>
    <message>
        <source>%1 › checkpoint (%2)</source>
        <translation>%1 › bản lưu (%2)</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::ChatPanel</name>
    <message>
        <source>token limit reached</source>
        <translation>đạt giới hạn token</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>đã xong</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>đã dừng</translation>
    </message>
    <message>
        <source>context full</source>
        <translation>hết ngữ cảnh</translation>
    </message>
    <message>
        <source>First token %1 ms · %2 tokens/s · %3 tokens · %4</source>
        <translation>Token đầu %1 ms · %2 token/giây · %3 token · %4</translation>
    </message>
    <message>
        <source>You</source>
        <translation>Bạn</translation>
    </message>
    <message>
        <source>System</source>
        <translation>Hệ thống</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>Trợ lý</translation>
    </message>
    <message>
        <source>Precise</source>
        <translation>Chính xác</translation>
    </message>
    <message>
        <source>Balanced</source>
        <translation>Cân bằng</translation>
    </message>
    <message>
        <source>Creative</source>
        <translation>Sáng tạo</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Chung</translation>
    </message>
    <message>
        <source>Education</source>
        <translation>Giáo dục</translation>
    </message>
    <message>
        <source>Medicine</source>
        <translation>Y tế</translation>
    </message>
    <message>
        <source>Finance</source>
        <translation>Tài chính</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>Đang nạp mô hình…</translation>
    </message>
    <message>
        <source>Loaded: %1</source>
        <translation>Đã nạp: %1</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>Chưa nạp mô hình</translation>
    </message>
    <message>
        <source>The model could not be loaded: %1</source>
        <translation>Không nạp được mô hình: %1</translation>
    </message>
    <message>
        <source>Loading cancelled</source>
        <translation>Đã hủy nạp</translation>
    </message>
    <message>
        <source>Rename chat</source>
        <translation>Đổi tên cuộc trò chuyện</translation>
    </message>
    <message>
        <source>Title:</source>
        <translation>Tiêu đề:</translation>
    </message>
    <message>
        <source>Delete chat</source>
        <translation>Xóa cuộc trò chuyện</translation>
    </message>
    <message>
        <source>Delete this chat and all its messages? This cannot be undone.</source>
        <translation>Xóa cuộc trò chuyện này cùng mọi tin nhắn? Không thể hoàn tác.</translation>
    </message>
    <message>
        <source>Add model folder</source>
        <translation>Thêm thư mục mô hình</translation>
    </message>
    <message>
        <source>Save system prompt</source>
        <translation>Lưu lời nhắc hệ thống</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Tên:</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Tự động</translation>
    </message>
    <message>
        <source>No system prompt</source>
        <translation>Không có lời nhắc hệ thống</translation>
    </message>
    <message>
        <source>Saved: %1</source>
        <translation>Đã lưu: %1</translation>
    </message>
    <message>
        <source>Open a project to keep chats and register models.</source>
        <translation>Hãy mở một dự án để lưu cuộc trò chuyện và đăng ký mô hình.</translation>
    </message>
    <message>
        <source>Open a project first: models are registered in the project.</source>
        <translation>Hãy mở một dự án trước: mô hình được đăng ký trong dự án.</translation>
    </message>
    <message>
        <source>The folder was not added: %1</source>
        <translation>Chưa thêm được thư mục: %1</translation>
    </message>
    <message>
        <source>Add a model folder (Hugging Face format) to start chatting.</source>
        <translation>Thêm một thư mục mô hình (định dạng Hugging Face) để bắt đầu trò chuyện.</translation>
    </message>
    <message>
        <source>Needs about %1: %2 parameters (%3) + KV cache %4 at %5 tokens</source>
        <translation>Cần khoảng %1: %2 tham số (%3) + bộ nhớ đệm KV %4 với %5 token</translation>
    </message>
    <message>
        <source>Detected template: unknown (plain text is used)</source>
        <translation>Mẫu phát hiện được: không rõ (dùng văn bản thường)</translation>
    </message>
    <message>
        <source>Detected template: %1</source>
        <translation>Mẫu phát hiện được: %1</translation>
    </message>
    <message>
        <source>Choose a model first (Add model folder…).</source>
        <translation>Hãy chọn mô hình trước (Thêm thư mục mô hình…).</translation>
    </message>
    <message>
        <source>The message to answer is no longer in this chat.</source>
        <translation>Tin nhắn cần trả lời không còn trong cuộc trò chuyện này.</translation>
    </message>
    <message>
        <source>A reply is empty, so there is nothing to compare; send the prompt again.</source>
        <translation>Một câu trả lời bị trống nên không có gì để so sánh; hãy gửi lại lời nhắc.</translation>
    </message>
    <message>
        <source>No reply: %1</source>
        <translation>Không có câu trả lời: %1</translation>
    </message>
    <message>
        <source>Saved to &quot;%1&quot;. Left: %2 (%3) · Right: %4 (%5)</source>
        <translation>Đã lưu vào &quot;%1&quot;. Trái: %2 (%3) · Phải: %4 (%5)</translation>
    </message>
    <message>
        <source>Copied to the clipboard.</source>
        <translation>Đã sao chép vào bộ nhớ tạm.</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Sao chép</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Sửa</translation>
    </message>
    <message>
        <source>drafts kept: %1</source>
        <translation>bản nháp đã giữ: %1</translation>
    </message>
    <message>
        <source>*Type a message below and press Ctrl+Enter to send it.*</source>
        <translation>*Nhập tin nhắn bên dưới và nhấn Ctrl+Enter để gửi.*</translation>
    </message>
    <message>
        <source>*Open a project to chat.*</source>
        <translation>*Hãy mở một dự án để trò chuyện.*</translation>
    </message>
    <message>
        <source>Resend (Ctrl+Enter)</source>
        <translation>Gửi lại (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Send (Ctrl+Enter)</source>
        <translation>Gửi (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Generating…</source>
        <translation>Đang sinh…</translation>
    </message>
    <message>
        <source>Chat playground</source>
        <translation>Sân chơi trò chuyện</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>Cuộc trò chuyện</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Mới</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>Đổi tên…</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>Xóa…</translation>
    </message>
    <message>
        <source>&amp;Model:</source>
        <translation>&amp;Mô hình:</translation>
    </message>
    <message>
        <source>Add model folder…</source>
        <translation>Thêm thư mục mô hình…</translation>
    </message>
    <message>
        <source>Precision:</source>
        <translation>Độ chính xác số:</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>Thiết bị:</translation>
    </message>
    <message>
        <source>This build runs models on the CPU; other devices are not offered.</source>
        <translation>Bản dựng này chạy mô hình trên CPU; không có thiết bị nào khác.</translation>
    </message>
    <message>
        <source>Threads:</source>
        <translation>Luồng:</translation>
    </message>
    <message>
        <source>auto</source>
        <translation>tự động</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>Nạp</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Message (Ctrl+Enter sends)</source>
        <translation>Tin nhắn (Ctrl+Enter để gửi)</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Dừng</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>Tạo lại</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Tham số</translation>
    </message>
    <message>
        <source>Preset:</source>
        <translation>Cấu hình sẵn:</translation>
    </message>
    <message>
        <source>Temperature:</source>
        <translation>Nhiệt độ:</translation>
    </message>
    <message>
        <source>Top-p:</source>
        <translation>Top-p:</translation>
    </message>
    <message>
        <source>Top-k:</source>
        <translation>Top-k:</translation>
    </message>
    <message>
        <source>off</source>
        <translation>tắt</translation>
    </message>
    <message>
        <source>Min-p:</source>
        <translation>Min-p:</translation>
    </message>
    <message>
        <source>Repetition penalty:</source>
        <translation>Phạt lặp lại:</translation>
    </message>
    <message>
        <source>Max tokens:</source>
        <translation>Số token tối đa:</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>Hạt giống:</translation>
    </message>
    <message>
        <source>Template:</source>
        <translation>Mẫu hội thoại:</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>Lời nhắc hệ thống</translation>
    </message>
    <message>
        <source>Save as preset…</source>
        <translation>Lưu thành cấu hình sẵn…</translation>
    </message>
    <message>
        <source>A/B comparison</source>
        <translation>So sánh A/B</translation>
    </message>
    <message>
        <source>A/B mode (blind, side by side)</source>
        <translation>Chế độ A/B (ẩn danh, song song)</translation>
    </message>
    <message>
        <source>Model B:</source>
        <translation>Mô hình B:</translation>
    </message>
    <message>
        <source>Preset B:</source>
        <translation>Cấu hình sẵn B:</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>Trái</translation>
    </message>
    <message>
        <source>Right</source>
        <translation>Phải</translation>
    </message>
    <message>
        <source>Left better</source>
        <translation>Trái tốt hơn</translation>
    </message>
    <message>
        <source>Right better</source>
        <translation>Phải tốt hơn</translation>
    </message>
    <message>
        <source>Tie</source>
        <translation>Hòa</translation>
    </message>
    <message>
        <source>Both bad</source>
        <translation>Cả hai đều tệ</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>Lý do:</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>không bắt buộc</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::CheckpointListModel</name>
    <message>
        <source>LoRA adapter</source>
        <translation>bộ điều hợp LoRA</translation>
    </message>
    <message>
        <source>full model</source>
        <translation>mô hình đầy đủ</translation>
    </message>
    <message>
        <source>Final (%1)</source>
        <translation>Cuối cùng (%1)</translation>
    </message>
    <message>
        <source>Step %1 (%2)</source>
        <translation>Bước %1 (%2)</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::ConflictTableModel</name>
    <message>
        <source>no order</source>
        <translation>không có thứ tự</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Tác vụ</translation>
    </message>
    <message>
        <source>Rankings</source>
        <translation>Lượt xếp hạng</translation>
    </message>
    <message>
        <source>Mean τ to consensus</source>
        <translation>τ trung bình so với đồng thuận</translation>
    </message>
    <message>
        <source>Not rankable</source>
        <translation>Không xếp hạng được</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Câu hỏi</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::ConsensusView</name>
    <message>
        <source>Merging pack %1 of %2…</source>
        <translation>Đang gộp gói %1/%2…</translation>
    </message>
    <message numerus="yes">
        <source>Merged %n pack(s): %1 rankings and %2 labels changed.</source>
        <translation>
            <numerusform>Đã gộp %n gói: %1 lượt xếp hạng và %2 nhãn thay đổi.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n pack(s) were already merged.</source>
        <translation>
            <numerusform>%n gói đã được gộp từ trước.</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Đã hủy.</translation>
    </message>
    <message>
        <source>Stopped: %1</source>
        <translation>Đã dừng: %1</translation>
    </message>
    <message>
        <source>Merge returned task packs</source>
        <translation>Gộp các gói nhiệm vụ đã trả về</translation>
    </message>
    <message>
        <source>Task packs (*.vlpack)</source>
        <translation>Gói nhiệm vụ (*.vlpack)</translation>
    </message>
    <message>
        <source>Cannot read the annotations: %1</source>
        <translation>Không đọc được dữ liệu gán nhãn: %1</translation>
    </message>
    <message>
        <source>Rankings: %1 tasks ranked by two or more annotators, %2 annotators, %3 pairs of rankings.</source>
        <translation>Xếp hạng: %1 tác vụ được từ hai người gán nhãn trở lên xếp hạng, %2 người gán nhãn, %3 cặp lượt xếp hạng.</translation>
    </message>
    <message>
        <source>Mean Kendall τ-b: %1; pairwise agreement: %2.</source>
        <translation>τ-b Kendall trung bình: %1; mức đồng thuận theo cặp: %2.</translation>
    </message>
    <message>
        <source>Labels (Krippendorff&apos;s α; 0.667 is the usual floor, 0.8 good):</source>
        <translation>Nhãn (α Krippendorff; thường cần tối thiểu 0,667, từ 0,8 là tốt):</translation>
    </message>
    <message>
        <source>No labels yet.</source>
        <translation>Chưa có nhãn.</translation>
    </message>
    <message>
        <source>nominal</source>
        <translation>định danh</translation>
    </message>
    <message>
        <source>ordinal</source>
        <translation>thứ bậc</translation>
    </message>
    <message>
        <source>interval</source>
        <translation>khoảng</translation>
    </message>
    <message>
        <source>%1 (%2): α = %3 over %4 items, %5 annotators</source>
        <translation>%1 (%2): α = %3 trên %4 mục, %5 người gán nhãn</translation>
    </message>
    <message>
        <source>Agreement</source>
        <translation>Mức đồng thuận</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>Bất đồng</translation>
    </message>
    <message>
        <source>Leaderboard</source>
        <translation>Bảng thành tích</translation>
    </message>
    <message>
        <source>Merge packs…</source>
        <translation>Gộp gói…</translation>
    </message>
    <message>
        <source>Merge task packs returned by annotators into this project</source>
        <translation>Gộp các gói nhiệm vụ do người gán nhãn trả về vào dự án này</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Làm mới</translation>
    </message>
    <message>
        <source>Not loaded yet.</source>
        <translation>Chưa tải.</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::DataPanel</name>
    <message>
        <source>Datasets</source>
        <translation>Bộ dữ liệu</translation>
    </message>
    <message numerus="yes">
        <source>%n dataset(s), %1 records in all</source>
        <translation>
            <numerusform>%n bộ dữ liệu, tổng cộng %1 bản ghi</numerusform>
        </translation>
    </message>
    <message>
        <source>No project is open. Create a project (Ctrl+N) or open one (Ctrl+O) to see its datasets.</source>
        <translation>Chưa mở dự án nào. Hãy tạo dự án mới (Ctrl+N) hoặc mở một dự án (Ctrl+O) để xem các bộ dữ liệu của nó.</translation>
    </message>
    <message>
        <source>&amp;Open Project…</source>
        <translation>Mở &amp;dự án…</translation>
    </message>
    <message numerus="yes">
        <source>%1 record(s)</source>
        <translation>
            <numerusform>%1 bản ghi</numerusform>
        </translation>
    </message>
    <message>
        <source>%1+ records, still counting</source>
        <translation>%1+ bản ghi, đang đếm tiếp</translation>
    </message>
    <message>
        <source>Search messages (Ctrl+F): words, &quot;a phrase&quot;, prefix*</source>
        <translation>Tìm trong tin nhắn (Ctrl+F): từ, &quot;cụm từ&quot;, tiền tố*</translation>
    </message>
    <message>
        <source>Ignore &amp;diacritics</source>
        <translation>Bỏ qua &amp;dấu</translation>
    </message>
    <message>
        <source>Find &quot;hòa bình&quot; by typing &quot;hoa binh&quot; (đ matches d)</source>
        <translation>Gõ &quot;hoa binh&quot; để tìm &quot;hòa bình&quot; (d khớp cả đ)</translation>
    </message>
    <message>
        <source>Data&amp;set:</source>
        <translation>&amp;Bộ dữ liệu:</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Tất cả</translation>
    </message>
    <message>
        <source>So&amp;urce:</source>
        <translation>Ng&amp;uồn:</translation>
    </message>
    <message>
        <source>Lan&amp;guage:</source>
        <translation>Ngôn n&amp;gữ:</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>&amp;Loại:</translation>
    </message>
    <message>
        <source>La&amp;bel:</source>
        <translation>&amp;Nhãn:</translation>
    </message>
    <message>
        <source>Any</source>
        <translation>Bất kỳ</translation>
    </message>
    <message>
        <source>&amp;Length:</source>
        <translation>Độ dà&amp;i:</translation>
    </message>
    <message>
        <source>min</source>
        <translation>tối thiểu</translation>
    </message>
    <message>
        <source>max</source>
        <translation>tối đa</translation>
    </message>
    <message>
        <source>%1+, counted before anything changes</source>
        <translation>%1+, được đếm trước khi có gì thay đổi</translation>
    </message>
    <message>
        <source>Counting the matching records…</source>
        <translation>Đang đếm các bản ghi khớp…</translation>
    </message>
    <message>
        <source>Cancelled; nothing was changed.</source>
        <translation>Đã hủy; không có gì thay đổi.</translation>
    </message>
    <message>
        <source>Nothing was changed: %1</source>
        <translation>Không có gì thay đổi: %1</translation>
    </message>
    <message>
        <source>No records to work on: select some, or choose every record matching the filter.</source>
        <translation>Không có bản ghi nào để xử lý: hãy chọn vài bản ghi, hoặc chọn mọi bản ghi khớp bộ lọc.</translation>
    </message>
    <message numerus="yes">
        <source>Run the text checks on %1 record(s)?</source>
        <translation>
            <numerusform>Kiểm tra văn bản trên %1 bản ghi?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Look for duplicates among %1 record(s) and delete them, keeping the first of each group? This cannot be undone.</source>
        <translation>
            <numerusform>Tìm bản trùng trong %1 bản ghi và xóa chúng, giữ bản đầu tiên của mỗi nhóm? Không thể hoàn tác.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Look for duplicates among %1 record(s) and tag them?</source>
        <translation>
            <numerusform>Tìm bản trùng trong %1 bản ghi và gắn thẻ chúng?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Tag %1 record(s) &quot;%2&quot;?</source>
        <translation>
            <numerusform>Gắn thẻ &quot;%2&quot; cho %1 bản ghi?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Remove the tag &quot;%2&quot; from %1 record(s)?</source>
        <translation>
            <numerusform>Gỡ thẻ &quot;%2&quot; khỏi %1 bản ghi?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delete %1 record(s) with their labels and rankings? This cannot be undone.</source>
        <translation>
            <numerusform>Xóa %1 bản ghi cùng nhãn và xếp hạng của chúng? Không thể hoàn tác.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Move %1 record(s) to dataset &quot;%2&quot;?</source>
        <translation>
            <numerusform>Chuyển %1 bản ghi sang bộ dữ liệu &quot;%2&quot;?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copy %1 record(s) to dataset &quot;%2&quot;?</source>
        <translation>
            <numerusform>Sao chép %1 bản ghi sang bộ dữ liệu &quot;%2&quot;?</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing was changed.</source>
        <translation>Không có gì thay đổi.</translation>
    </message>
    <message>
        <source>%1 of %2 records changed.</source>
        <translation>%1 trên %2 bản ghi đã thay đổi.</translation>
    </message>
    <message>
        <source>Labels and findings: %1.</source>
        <translation>Nhãn và kết quả: %1.</translation>
    </message>
    <message>
        <source>Tagged %1 records &quot;%2&quot;.</source>
        <translation>Đã gắn thẻ &quot;%2&quot; cho %1 bản ghi.</translation>
    </message>
    <message>
        <source>Removed the tag &quot;%2&quot; from %1 records.</source>
        <translation>Đã gỡ thẻ &quot;%2&quot; khỏi %1 bản ghi.</translation>
    </message>
    <message>
        <source>Deleted %1 records.</source>
        <translation>Đã xóa %1 bản ghi.</translation>
    </message>
    <message>
        <source>Moved %1 records to dataset &quot;%2&quot;.</source>
        <translation>Đã chuyển %1 bản ghi sang bộ dữ liệu &quot;%2&quot;.</translation>
    </message>
    <message>
        <source>Copied %1 records to dataset &quot;%2&quot;.</source>
        <translation>Đã sao chép %1 bản ghi sang bộ dữ liệu &quot;%2&quot;.</translation>
    </message>
    <message>
        <source>This project has no datasets yet. Import instruction or preference data (Alpaca, Dolly, ShareGPT, prompt-response, Open-Assistant trees, HH-RLHF, messages, preference pairs), or from the command line, for example:

vietllm-cli project import PROJECT.vietllm --format alpaca FILE.json</source>
        <translation>Dự án chưa có bộ dữ liệu nào. Hãy nhập dữ liệu chỉ dẫn hoặc dữ liệu ưu tiên (Alpaca, Dolly, ShareGPT, prompt-response, cây Open-Assistant, HH-RLHF, messages, cặp ưu tiên), hoặc từ dòng lệnh, ví dụ:

vietllm-cli project import PROJECT.vietllm --format alpaca FILE.json</translation>
    </message>
    <message>
        <source>&amp;Import Data…</source>
        <translation>&amp;Nhập dữ liệu…</translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation>&amp;Nhập…</translation>
    </message>
    <message>
        <source>Import data files into a new or existing dataset</source>
        <translation>Nhập tệp dữ liệu vào một bộ dữ liệu mới hoặc có sẵn</translation>
    </message>
    <message>
        <source>E&amp;xport…</source>
        <translation>&amp;Xuất…</translation>
    </message>
    <message>
        <source>Write datasets or the records matching the filter to a file</source>
        <translation>Ghi các bộ dữ liệu hoặc các bản ghi khớp bộ lọc ra tệp</translation>
    </message>
    <message>
        <source>Bulk &amp;actions</source>
        <translation>Thao tác &amp;hàng loạt</translation>
    </message>
    <message>
        <source>Text checks, duplicates, tags, delete (Del), move or copy: on the selected records or on every record matching the filter</source>
        <translation>Kiểm tra văn bản, bản trùng, thẻ, xóa (Del), chuyển hoặc sao chép: trên các bản ghi đang chọn hoặc trên mọi bản ghi khớp bộ lọc</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::DatasetTableModel</name>
    <message>
        <source>Dataset</source>
        <translation>Bộ dữ liệu</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>Bản ghi</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Tin nhắn</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Ngày tạo</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Mô tả</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::EngineWorker</name>
    <message>
        <source>Stopped before the reply started.</source>
        <translation>Đã dừng trước khi bắt đầu trả lời.</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::EvalLeaderboardModel</name>
    <message>
        <source>Model</source>
        <translation>Mô hình</translation>
    </message>
    <message>
        <source>Mean</source>
        <translation>Trung bình</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::EvalTaskModel</name>
    <message>
        <source>missing</source>
        <translation>thiếu</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Tác vụ</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>Chỉ số</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>Mục</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::EvaluationCharts</name>
    <message>
        <source>%1 by model</source>
        <translation>%1 theo mô hình</translation>
    </message>
    <message>
        <source>%1 by training step</source>
        <translation>%1 theo bước huấn luyện</translation>
    </message>
    <message>
        <source>Select finished runs to chart them</source>
        <translation>Chọn các lượt đã xong để vẽ biểu đồ</translation>
    </message>
    <message>
        <source>step</source>
        <translation>bước</translation>
    </message>
    <message>
        <source>&amp;Metric:</source>
        <translation>&amp;Chỉ số:</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::EvaluationItemModel</name>
    <message>
        <source>Prompt:</source>
        <translation>Lời nhắc:</translation>
    </message>
    <message>
        <source>Choices:</source>
        <translation>Lựa chọn:</translation>
    </message>
    <message>
        <source>Model output:</source>
        <translation>Đầu ra của mô hình:</translation>
    </message>
    <message>
        <source>Reference:</source>
        <translation>Đáp án tham chiếu:</translation>
    </message>
    <message>
        <source>Score: %1</source>
        <translation>Điểm: %1</translation>
    </message>
    <message>
        <source>Correct</source>
        <translation>Đúng</translation>
    </message>
    <message>
        <source>Wrong</source>
        <translation>Sai</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>có</translation>
    </message>
    <message>
        <source>no</source>
        <translation>không</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Mục</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Lời nhắc</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Đầu ra</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Tham chiếu</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>Điểm</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::EvaluationJob</name>
    <message>
        <source>exit code %1</source>
        <translation>mã thoát %1</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::EvaluationPanel</name>
    <message>
        <source>Model %1 of %2: %3</source>
        <translation>Mô hình %1/%2: %3</translation>
    </message>
    <message>
        <source>%1 / step %2</source>
        <translation>%1 / bước %2</translation>
    </message>
    <message>
        <source>%1 / final</source>
        <translation>%1 / cuối cùng</translation>
    </message>
    <message>
        <source>(LoRA adapter: export it merged first)</source>
        <translation>(bộ điều hợp LoRA: hãy xuất bản đã gộp trước)</translation>
    </message>
    <message>
        <source>An endpoint needs its URL (http://host:8000/v1) and a model name.</source>
        <translation>Một endpoint cần URL (http://host:8000/v1) và tên mô hình.</translation>
    </message>
    <message>
        <source>Choose a model folder (config.json, *.safetensors)</source>
        <translation>Chọn thư mục mô hình (config.json, *.safetensors)</translation>
    </message>
    <message>
        <source>Open a project first: the results are stored in it.</source>
        <translation>Hãy mở một dự án trước: kết quả được lưu trong dự án.</translation>
    </message>
    <message>
        <source>Check at least one model and one task.</source>
        <translation>Hãy đánh dấu ít nhất một mô hình và một tác vụ.</translation>
    </message>
    <message numerus="yes">
        <source>Evaluating %n model(s)…</source>
        <translation>
            <numerusform>Đang đánh giá %n mô hình…</numerusform>
        </translation>
    </message>
    <message>
        <source>Stopping after the current chunk…</source>
        <translation>Đang dừng sau phần việc hiện tại…</translation>
    </message>
    <message>
        <source>Stopped; the interrupted run is stored as cancelled.</source>
        <translation>Đã dừng; lượt bị ngắt được lưu là đã hủy.</translation>
    </message>
    <message>
        <source>Evaluation finished.</source>
        <translation>Đánh giá xong.</translation>
    </message>
    <message>
        <source>No items</source>
        <translation>Không có mục nào</translation>
    </message>
    <message>
        <source>Page %1 of %2 (%3 items)</source>
        <translation>Trang %1/%2 (%3 mục)</translation>
    </message>
    <message>
        <source>Select the runs to export.</source>
        <translation>Hãy chọn các lượt cần xuất.</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n run(s) to %1.</source>
        <translation>
            <numerusform>Đã xuất %n lượt vào %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Export as Markdown</source>
        <translation>Xuất dạng Markdown</translation>
    </message>
    <message>
        <source>Export as JSON</source>
        <translation>Xuất dạng JSON</translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Mô hình</translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation>Tác vụ</translation>
    </message>
    <message>
        <source>Registered models and checkpoints, training run checkpoints, folders and endpoints; each checked one is evaluated in turn:</source>
        <translation>Mô hình đã đăng ký và checkpoint, checkpoint của các lượt huấn luyện, thư mục và endpoint; lần lượt đánh giá từng mục được đánh dấu:</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>Thêm thư mục…</translation>
    </message>
    <message>
        <source>Endpoint URL (http://host:8000/v1)</source>
        <translation>URL của endpoint (http://host:8000/v1)</translation>
    </message>
    <message>
        <source>Model name</source>
        <translation>Tên mô hình</translation>
    </message>
    <message>
        <source>Add endpoint</source>
        <translation>Thêm endpoint</translation>
    </message>
    <message>
        <source>Tasks (resources/eval/tasks; items counted in the data found):</source>
        <translation>Tác vụ (resources/eval/tasks; số mục đếm trong dữ liệu tìm thấy):</translation>
    </message>
    <message>
        <source>&amp;Limit (items per task, 0 = all):</source>
        <translation>&amp;Giới hạn (số mục mỗi tác vụ, 0 = tất cả):</translation>
    </message>
    <message>
        <source>&amp;Batch size:</source>
        <translation>Cỡ &amp;lô:</translation>
    </message>
    <message>
        <source>&amp;Precision:</source>
        <translation>Độ chính xác &amp;số:</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>&amp;Chạy</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>&amp;Dừng</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Làm mới</translation>
    </message>
    <message>
        <source>Export JSON…</source>
        <translation>Xuất JSON…</translation>
    </message>
    <message>
        <source>Export Markdown…</source>
        <translation>Xuất Markdown…</translation>
    </message>
    <message>
        <source>Best headline score per task for each model across all finished runs; the mean is over the tasks where higher is better (bits per byte is left out).</source>
        <translation>Điểm chính tốt nhất của mỗi tác vụ cho từng mô hình trên mọi lượt đã xong; trung bình tính trên các tác vụ mà điểm càng cao càng tốt (không tính bits per byte).</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>Trước</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Sau</translation>
    </message>
    <message>
        <source>Runs and charts</source>
        <translation>Lượt chạy và biểu đồ</translation>
    </message>
    <message>
        <source>Leaderboard</source>
        <translation>Bảng xếp hạng</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>Mục</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::EvaluationRunModel</name>
    <message>
        <source>queued</source>
        <translation>đang chờ</translation>
    </message>
    <message>
        <source>running</source>
        <translation>đang chạy</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>đã xong</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>thất bại</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>đã hủy</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Mô hình</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Tác vụ</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>Điểm</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>Mục</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Bắt đầu lúc</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::ExportDialog</name>
    <message>
        <source>Export data</source>
        <translation>Xuất dữ liệu</translation>
    </message>
    <message>
        <source>Every dataset</source>
        <translation>Mọi bộ dữ liệu</translation>
    </message>
    <message>
        <source>Dataset %1</source>
        <translation>Bộ dữ liệu %1</translation>
    </message>
    <message>
        <source>Records matching the current filter (%1)</source>
        <translation>Các bản ghi khớp bộ lọc hiện tại (%1)</translation>
    </message>
    <message>
        <source>JSON Lines (one record per line)</source>
        <translation>JSON Lines (mỗi dòng một bản ghi)</translation>
    </message>
    <message>
        <source>One JSON array</source>
        <translation>Một mảng JSON</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Duyệt…</translation>
    </message>
    <message>
        <source>&amp;Records:</source>
        <translation>&amp;Bản ghi:</translation>
    </message>
    <message>
        <source>F&amp;ormat:</source>
        <translation>Định &amp;dạng:</translation>
    </message>
    <message>
        <source>&amp;Layout:</source>
        <translation>&amp;Bố cục:</translation>
    </message>
    <message>
        <source>&amp;Destination:</source>
        <translation>&amp;Nơi lưu:</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>&amp;Xuất</translation>
    </message>
    <message>
        <source>Data files (*.jsonl *.json);;All files (*)</source>
        <translation>Tệp dữ liệu (*.jsonl *.json);;Mọi tệp (*)</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Đang xuất…</translation>
    </message>
    <message>
        <source>No record matches the current filter; nothing was written.</source>
        <translation>Không bản ghi nào khớp bộ lọc hiện tại; không có gì được ghi.</translation>
    </message>
    <message>
        <source>Cancelled; no file was written.</source>
        <translation>Đã hủy; không tệp nào được ghi.</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>Xuất thất bại: %1</translation>
    </message>
    <message>
        <source>Exported %1 records as %2 %3 records to %4.</source>
        <translation>Đã xuất %1 bản ghi thành %2 bản ghi %3 vào %4.</translation>
    </message>
    <message>
        <source>%1 records cannot be written as %2 and were left out:</source>
        <translation>%1 bản ghi không thể ghi dưới dạng %2 và đã bị bỏ qua:</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::ImportDialog</name>
    <message>
        <source>Import data</source>
        <translation>Nhập dữ liệu</translation>
    </message>
    <message>
        <source>one or more files, separated by ;</source>
        <translation>một hoặc nhiều tệp, ngăn cách bằng ;</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Duyệt…</translation>
    </message>
    <message>
        <source>Detect from the first record</source>
        <translation>Nhận diện từ bản ghi đầu tiên</translation>
    </message>
    <message>
        <source>&amp;New dataset:</source>
        <translation>Bộ dữ liệu &amp;mới:</translation>
    </message>
    <message>
        <source>&amp;Add to dataset:</source>
        <translation>&amp;Thêm vào bộ dữ liệu:</translation>
    </message>
    <message>
        <source>&amp;Skip bad lines (they are counted) instead of stopping</source>
        <translation>&amp;Bỏ qua dòng lỗi (có đếm) thay vì dừng lại</translation>
    </message>
    <message>
        <source>&amp;Files:</source>
        <translation>&amp;Tệp:</translation>
    </message>
    <message>
        <source>F&amp;ormat:</source>
        <translation>Định &amp;dạng:</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>&amp;Nhập</translation>
    </message>
    <message>
        <source>Preview of the first records:</source>
        <translation>Xem trước các bản ghi đầu tiên:</translation>
    </message>
    <message>
        <source>Data files (*.jsonl *.json *.jsonl.gz *.json.gz);;All files (*)</source>
        <translation>Tệp dữ liệu (*.jsonl *.json *.jsonl.gz *.json.gz);;Mọi tệp (*)</translation>
    </message>
    <message>
        <source>Detected format: %1.</source>
        <translation>Định dạng nhận diện được: %1.</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>Đang nhập…</translation>
    </message>
    <message>
        <source>%1 of %2 file(s) were imported (%3 records) and stay in the project.</source>
        <translation>%1 trên %2 tệp đã được nhập (%3 bản ghi) và vẫn ở trong dự án.</translation>
    </message>
    <message>
        <source>Cancelled: nothing from %1 was imported.</source>
        <translation>Đã hủy: không có gì từ %1 được nhập.</translation>
    </message>
    <message>
        <source>Import stopped: %1</source>
        <translation>Việc nhập đã dừng: %1</translation>
    </message>
    <message numerus="yes">
        <source>Imported %1 records from %n file(s) into dataset %2.</source>
        <translation>
            <numerusform>Đã nhập %1 bản ghi từ %n tệp vào bộ dữ liệu %2.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n bad line(s) skipped.</source>
        <translation>
            <numerusform>Đã bỏ qua %n dòng lỗi.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::JsonLineProcess</name>
    <message>
        <source>Cannot start %1: %2</source>
        <translation>Không khởi động được %1: %2</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::LeaderboardModel</name>
    <message>
        <source>model</source>
        <translation>mô hình</translation>
    </message>
    <message>
        <source>human</source>
        <translation>người</translation>
    </message>
    <message>
        <source>Annotator</source>
        <translation>Người gán nhãn</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>Rankings</source>
        <translation>Lượt xếp hạng</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>Nhãn</translation>
    </message>
    <message>
        <source>Agreement (τ)</source>
        <translation>Mức đồng thuận (τ)</translation>
    </message>
    <message>
        <source>Trust</source>
        <translation>Độ tin cậy</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::MainWindow</name>
    <message>
        <source>vietllm projects (*.vietllm);;All files (*)</source>
        <translation>Dự án vietllm (*.vietllm);;Mọi tệp (*)</translation>
    </message>
    <message>
        <source>Internal error: %1</source>
        <translation>Lỗi nội bộ: %1</translation>
    </message>
    <message>
        <source>Cannot create the project</source>
        <translation>Không tạo được dự án</translation>
    </message>
    <message>
        <source>The project %1 could not be created.

%2</source>
        <translation>Không thể tạo dự án %1.

%2</translation>
    </message>
    <message>
        <source>Could not open %1</source>
        <translation>Không mở được %1</translation>
    </message>
    <message>
        <source>Cannot open the project</source>
        <translation>Không mở được dự án</translation>
    </message>
    <message>
        <source>%1 could not be opened as a vietllm project.

%2</source>
        <translation>Không thể mở %1 như một dự án vietllm.

%2</translation>
    </message>
    <message>
        <source>Project: %1</source>
        <translation>Dự án: %1</translation>
    </message>
    <message>
        <source>No project open</source>
        <translation>Chưa mở dự án nào</translation>
    </message>
    <message>
        <source>%1 — vietllm</source>
        <translation>%1 — vietllm</translation>
    </message>
    <message>
        <source>New Project</source>
        <translation>Tạo dự án mới</translation>
    </message>
    <message>
        <source>Open Project</source>
        <translation>Mở dự án</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Tệp</translation>
    </message>
    <message>
        <source>&amp;New Project…</source>
        <translation>Tạo dự án &amp;mới…</translation>
    </message>
    <message>
        <source>&amp;Open Project…</source>
        <translation>Mở &amp;dự án…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>Mở &amp;gần đây</translation>
    </message>
    <message>
        <source>&amp;Clear List</source>
        <translation>&amp;Xóa danh sách</translation>
    </message>
    <message>
        <source>&amp;Close Project</source>
        <translation>Đóng dự á&amp;n</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Thoát</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Xem</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Cài đặt</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Tùy chọn…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Trợ &amp;giúp</translation>
    </message>
    <message>
        <source>&amp;About vietllm</source>
        <translation>&amp;Giới thiệu vietllm</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Giới thiệu &amp;Qt</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::RankingPanel</name>
    <message>
        <source>New annotator</source>
        <translation>Người gán nhãn mới</translation>
    </message>
    <message>
        <source>Annotator name:</source>
        <translation>Tên người gán nhãn:</translation>
    </message>
    <message>
        <source>All datasets</source>
        <translation>Mọi bộ dữ liệu</translation>
    </message>
    <message numerus="yes">
        <source>%n ranking task(s) created.</source>
        <translation>
            <numerusform>Đã tạo %n tác vụ xếp hạng.</numerusform>
        </translation>
    </message>
    <message>
        <source>Create an annotator profile (New annotator…) to start ranking.</source>
        <translation>Hãy tạo hồ sơ người gán nhãn (Người gán nhãn mới…) để bắt đầu xếp hạng.</translation>
    </message>
    <message>
        <source>&lt;p&gt;No task waiting. Create tasks from a dataset, or grow a conversation tree and generate candidates.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Không còn tác vụ nào. Hãy tạo tác vụ từ một bộ dữ liệu, hoặc phát triển một cây hội thoại và sinh câu trả lời ứng viên.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Draft restored.</source>
        <translation>Đã khôi phục bản nháp.</translation>
    </message>
    <message>
        <source>Reply %1 (key %2)</source>
        <translation>Câu trả lời %1 (phím %2)</translation>
    </message>
    <message>
        <source>place %1</source>
        <translation>hạng %1</translation>
    </message>
    <message>
        <source>%1 / %2 tasks ranked, %3 skipped, %4 drafts</source>
        <translation>Đã xếp %1 / %2 tác vụ, bỏ qua %3, nháp %4</translation>
    </message>
    <message>
        <source>Give every reply a place (keys 1–%1), or mark them all bad (B).</source>
        <translation>Hãy xếp hạng mọi câu trả lời (phím 1–%1), hoặc đánh dấu tất cả đều tệ (B).</translation>
    </message>
    <message>
        <source>Ranking saved.</source>
        <translation>Đã lưu xếp hạng.</translation>
    </message>
    <message>
        <source>Task skipped.</source>
        <translation>Đã bỏ qua tác vụ.</translation>
    </message>
    <message>
        <source>Draft saved.</source>
        <translation>Đã lưu bản nháp.</translation>
    </message>
    <message>
        <source>Add reply</source>
        <translation>Thêm câu trả lời</translation>
    </message>
    <message>
        <source>Add follow-up prompt</source>
        <translation>Thêm câu hỏi tiếp theo</translation>
    </message>
    <message>
        <source>Assistant reply:</source>
        <translation>Câu trả lời của trợ lý:</translation>
    </message>
    <message>
        <source>Follow-up prompt (user):</source>
        <translation>Câu hỏi tiếp theo (người dùng):</translation>
    </message>
    <message>
        <source>Generate candidates</source>
        <translation>Sinh câu trả lời ứng viên</translation>
    </message>
    <message>
        <source>Local model folder</source>
        <translation>Thư mục mô hình cục bộ</translation>
    </message>
    <message>
        <source>OpenAI-compatible endpoint</source>
        <translation>Điểm cuối tương thích OpenAI</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Duyệt…</translation>
    </message>
    <message>
        <source>Source:</source>
        <translation>Nguồn:</translation>
    </message>
    <message>
        <source>Model folder:</source>
        <translation>Thư mục mô hình:</translation>
    </message>
    <message>
        <source>Endpoint URL:</source>
        <translation>URL điểm cuối:</translation>
    </message>
    <message>
        <source>Model name:</source>
        <translation>Tên mô hình:</translation>
    </message>
    <message>
        <source>API key variable:</source>
        <translation>Biến chứa khóa API:</translation>
    </message>
    <message>
        <source>Replies:</source>
        <translation>Số câu trả lời:</translation>
    </message>
    <message>
        <source>Max new tokens:</source>
        <translation>Số token mới tối đa:</translation>
    </message>
    <message>
        <source>Temperature of the first reply:</source>
        <translation>Nhiệt độ của câu trả lời đầu:</translation>
    </message>
    <message>
        <source>Model folder</source>
        <translation>Thư mục mô hình</translation>
    </message>
    <message>
        <source>Select a user message in the tree to generate replies for.</source>
        <translation>Hãy chọn một tin nhắn của người dùng trong cây để sinh câu trả lời.</translation>
    </message>
    <message numerus="yes">
        <source>Generating %n candidate(s)…</source>
        <translation>
            <numerusform>Đang sinh %n câu trả lời ứng viên…</numerusform>
        </translation>
    </message>
    <message>
        <source>Generation cancelled; nothing was added.</source>
        <translation>Đã hủy việc sinh; không thêm gì.</translation>
    </message>
    <message numerus="yes">
        <source>%n candidate(s) added with a ranking task.</source>
        <translation>
            <numerusform>Đã thêm %n câu trả lời ứng viên cùng một tác vụ xếp hạng.</numerusform>
        </translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>Xếp hạng</translation>
    </message>
    <message>
        <source>Conversation trees</source>
        <translation>Cây hội thoại</translation>
    </message>
    <message>
        <source>&amp;Annotator:</source>
        <translation>&amp;Người gán nhãn:</translation>
    </message>
    <message>
        <source>New annotator…</source>
        <translation>Người gán nhãn mới…</translation>
    </message>
    <message>
        <source>Data&amp;set:</source>
        <translation>&amp;Bộ dữ liệu:</translation>
    </message>
    <message>
        <source>Rankings per task:</source>
        <translation>Số lượt xếp hạng mỗi tác vụ:</translation>
    </message>
    <message>
        <source>Create tasks</source>
        <translation>Tạo tác vụ</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Câu hỏi</translation>
    </message>
    <message>
        <source>Your order (drag to reorder)</source>
        <translation>Thứ tự của bạn (kéo để sắp lại)</translation>
    </message>
    <message>
        <source>All bad (B)</source>
        <translation>Tất cả đều tệ (B)</translation>
    </message>
    <message>
        <source>Why are they all bad?</source>
        <translation>Vì sao tất cả đều tệ?</translation>
    </message>
    <message>
        <source>Submit (Enter)</source>
        <translation>Gửi (Enter)</translation>
    </message>
    <message>
        <source>Skip (S)</source>
        <translation>Bỏ qua (S)</translation>
    </message>
    <message>
        <source>Save draft (D)</source>
        <translation>Lưu nháp (D)</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Phím</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Thao tác</translation>
    </message>
    <message>
        <source>give the reply the next place, best first</source>
        <translation>xếp câu trả lời vào hạng kế tiếp, tốt nhất trước</translation>
    </message>
    <message>
        <source>the next pick ties with the previous one</source>
        <translation>lần chọn sau đồng hạng với lần trước</translation>
    </message>
    <message>
        <source>take the last pick back</source>
        <translation>bỏ lần chọn cuối</translation>
    </message>
    <message>
        <source>all bad (then type the reason)</source>
        <translation>tất cả đều tệ (rồi gõ lý do)</translation>
    </message>
    <message>
        <source>leave the reason box</source>
        <translation>rời ô lý do</translation>
    </message>
    <message>
        <source>submit and show the next task</source>
        <translation>gửi và sang tác vụ sau</translation>
    </message>
    <message>
        <source>skip this task</source>
        <translation>bỏ qua tác vụ này</translation>
    </message>
    <message>
        <source>save a draft</source>
        <translation>lưu nháp</translation>
    </message>
    <message>
        <source>show or hide this table</source>
        <translation>hiện hoặc ẩn bảng này</translation>
    </message>
    <message>
        <source>&amp;Record:</source>
        <translation>&amp;Bản ghi:</translation>
    </message>
    <message>
        <source>The record of the current task, or the one chosen above. Select a message to review it, answer it or continue the conversation.</source>
        <translation>Bản ghi của tác vụ hiện tại, hoặc bản ghi chọn ở trên. Chọn một tin nhắn để đánh giá, trả lời hoặc tiếp tục hội thoại.</translation>
    </message>
    <message>
        <source>Add reply / follow-up…</source>
        <translation>Thêm câu trả lời / câu hỏi tiếp…</translation>
    </message>
    <message>
        <source>Generate candidates…</source>
        <translation>Sinh câu trả lời ứng viên…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Consensus</source>
        <translation>Đồng thuận</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::RecordEditor</name>
    <message>
        <source>level %1</source>
        <translation>tầng %1</translation>
    </message>
    <message>
        <source>rank %1</source>
        <translation>hạng %1</translation>
    </message>
    <message>
        <source>chosen</source>
        <translation>được chọn</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>bị loại</translation>
    </message>
    <message>
        <source>Saved; the text was normalized.</source>
        <translation>Đã lưu; văn bản đã được chuẩn hóa.</translation>
    </message>
    <message>
        <source>Record %1 · %2</source>
        <translation>Bản ghi %1 · %2</translation>
    </message>
    <message>
        <source>Select a record to see its turns.</source>
        <translation>Chọn một bản ghi để xem các lượt của nó.</translation>
    </message>
    <message>
        <source>The project is open read-only.</source>
        <translation>Dự án đang mở ở chế độ chỉ đọc.</translation>
    </message>
    <message>
        <source>Preference pairs and conversation trees are shown read-only; conversations can be edited.</source>
        <translation>Cặp ưu tiên và cây hội thoại chỉ được xem; hội thoại thì sửa được.</translation>
    </message>
    <message>
        <source>&amp;Role:</source>
        <translation>&amp;Vai trò:</translation>
    </message>
    <message>
        <source>Add turn</source>
        <translation>Thêm lượt</translation>
    </message>
    <message>
        <source>Delete turn</source>
        <translation>Xóa lượt</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>Lên trên</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>Xuống dưới</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Hoàn tác</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Làm lại</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::RecordPreviewModel</name>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>First user message</source>
        <translation>Tin nhắn đầu tiên của người dùng</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Tin nhắn</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::RecordTableModel</name>
    <message>
        <source>conversation</source>
        <translation>hội thoại</translation>
    </message>
    <message>
        <source>preference pair</source>
        <translation>cặp ưu tiên</translation>
    </message>
    <message>
        <source>conversation tree</source>
        <translation>cây hội thoại</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>Mã</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>Bộ dữ liệu</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>First user message</source>
        <translation>Tin nhắn đầu tiên của người dùng</translation>
    </message>
    <message>
        <source>Turns</source>
        <translation>Số lượt</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Ngôn ngữ</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>Độ dài</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>Nhãn</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::RunHistoryModel</name>
    <message>
        <source>running</source>
        <translation>đang chạy</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>bị gián đoạn</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>hoàn tất</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>đã dừng</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>thất bại</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Lượt chạy</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Phương pháp</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Bước</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>Loss</translation>
    </message>
    <message>
        <source>Best eval loss</source>
        <translation>Eval loss tốt nhất</translation>
    </message>
    <message>
        <source>Base model</source>
        <translation>Mô hình gốc</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::SettingsDialog</name>
    <message>
        <source>Preferences</source>
        <translation>Tùy chọn</translation>
    </message>
    <message>
        <source>Interface &amp;language:</source>
        <translation>&amp;Ngôn ngữ giao diện:</translation>
    </message>
    <message>
        <source>The new language applies at once; no restart is needed.</source>
        <translation>Ngôn ngữ mới được áp dụng ngay, không cần khởi động lại.</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::StartPage</name>
    <message>
        <source>A workbench for Vietnamese language models: prepare data, rank answers, train, chat and evaluate, all on this computer.</source>
        <translation>Bàn làm việc cho mô hình ngôn ngữ tiếng Việt: chuẩn bị dữ liệu, xếp hạng câu trả lời, huấn luyện, trò chuyện và đánh giá, tất cả ngay trên máy này.</translation>
    </message>
    <message>
        <source>&amp;New Project…</source>
        <translation>Tạo dự án &amp;mới…</translation>
    </message>
    <message>
        <source>Create an empty project file (Ctrl+N)</source>
        <translation>Tạo một tệp dự án trống (Ctrl+N)</translation>
    </message>
    <message>
        <source>&amp;Open Project…</source>
        <translation>Mở &amp;dự án…</translation>
    </message>
    <message>
        <source>Open an existing project file (Ctrl+O)</source>
        <translation>Mở một tệp dự án có sẵn (Ctrl+O)</translation>
    </message>
    <message>
        <source>&amp;Recent projects</source>
        <translation>Dự án gầ&amp;n đây</translation>
    </message>
    <message>
        <source>No recent projects yet. Projects you open will be listed here.</source>
        <translation>Chưa có dự án gần đây. Các dự án bạn mở sẽ được liệt kê ở đây.</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::StoreJob</name>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Đang hủy…</translation>
    </message>
    <message>
        <source>%1 records…</source>
        <translation>%1 bản ghi…</translation>
    </message>
    <message>
        <source>%1 of %2 records…</source>
        <translation>%1 / %2 bản ghi…</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::TrainingCharts</name>
    <message>
        <source>&amp;Smoothing: %1</source>
        <translation>Làm &amp;mượt: %1</translation>
    </message>
    <message>
        <source>%1 (raw)</source>
        <translation>%1 (thô)</translation>
    </message>
    <message>
        <source>%1 eval</source>
        <translation>%1 eval</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>Loss</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>Tốc độ học</translation>
    </message>
    <message>
        <source>Gradient norm</source>
        <translation>Chuẩn gradient</translation>
    </message>
    <message>
        <source>Tokens per second</source>
        <translation>Token mỗi giây</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Bước</translation>
    </message>
    <message>
        <source>Method metrics (accuracy, margin, rewards)</source>
        <translation>Chỉ số của phương pháp (độ chính xác, biên, điểm thưởng)</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::TrainingJob</name>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 thất bại: %2</translation>
    </message>
    <message>
        <source>The trainer was stopped before it could save a checkpoint.</source>
        <translation>Trình huấn luyện bị dừng trước khi kịp lưu checkpoint.</translation>
    </message>
    <message>
        <source>The trainer exited with code %1.</source>
        <translation>Trình huấn luyện thoát với mã %1.</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::TrainingPanel</name>
    <message>
        <source>Export finished.</source>
        <translation>Đã xuất xong.</translation>
    </message>
    <message>
        <source>Held out for eval loss:</source>
        <translation>Tách riêng để tính eval loss:</translation>
    </message>
    <message>
        <source>LoRA rank:</source>
        <translation>Hạng LoRA:</translation>
    </message>
    <message>
        <source>LoRA alpha:</source>
        <translation>Alpha LoRA:</translation>
    </message>
    <message>
        <source>LoRA dropout:</source>
        <translation>Dropout LoRA:</translation>
    </message>
    <message>
        <source>Learning rate:</source>
        <translation>Tốc độ học:</translation>
    </message>
    <message>
        <source>Epochs:</source>
        <translation>Số epoch:</translation>
    </message>
    <message>
        <source>Max steps (0 = epochs):</source>
        <translation>Số bước tối đa (0 = theo epoch):</translation>
    </message>
    <message>
        <source>Micro-batch size:</source>
        <translation>Cỡ micro-batch:</translation>
    </message>
    <message>
        <source>Gradient accumulation:</source>
        <translation>Tích lũy gradient:</translation>
    </message>
    <message>
        <source>Max sequence length:</source>
        <translation>Độ dài chuỗi tối đa:</translation>
    </message>
    <message>
        <source>Pack sequences:</source>
        <translation>Ghép chuỗi:</translation>
    </message>
    <message>
        <source>Schedule:</source>
        <translation>Lịch tốc độ học:</translation>
    </message>
    <message>
        <source>Warm-up fraction:</source>
        <translation>Tỉ lệ khởi động:</translation>
    </message>
    <message>
        <source>Eval every (steps):</source>
        <translation>Đánh giá mỗi (bước):</translation>
    </message>
    <message>
        <source>Checkpoint every (steps):</source>
        <translation>Lưu checkpoint mỗi (bước):</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>Hạt giống ngẫu nhiên:</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>Thiết bị:</translation>
    </message>
    <message>
        <source>Precision:</source>
        <translation>Độ chính xác số:</translation>
    </message>
    <message>
        <source>%1, %2 million parameters, %3 layers</source>
        <translation>%1, %2 triệu tham số, %3 lớp</translation>
    </message>
    <message>
        <source>Choose a model to see how much memory the run needs.</source>
        <translation>Chọn một mô hình để xem lượt chạy cần bao nhiêu bộ nhớ.</translation>
    </message>
    <message>
        <source>Needs about %1 (weights %2, gradients and optimizer %3, activations %4); this machine has %5.</source>
        <translation>Cần khoảng %1 (trọng số %2, gradient và bộ tối ưu %3, kích hoạt %4); máy này có %5.</translation>
    </message>
    <message>
        <source>It will not fit: use LoRA, a smaller micro-batch or sequence length, or a bigger machine.</source>
        <translation>Không đủ bộ nhớ: hãy dùng LoRA, micro-batch hoặc độ dài chuỗi nhỏ hơn, hoặc một máy lớn hơn.</translation>
    </message>
    <message>
        <source>Open a project first: runs are kept beside it.</source>
        <translation>Hãy mở một dự án trước: các lượt chạy được lưu cạnh dự án.</translation>
    </message>
    <message>
        <source>Choose a model folder with a config.json.</source>
        <translation>Hãy chọn một thư mục mô hình có config.json.</translation>
    </message>
    <message>
        <source>Tick at least one dataset or add a JSONL file.</source>
        <translation>Hãy đánh dấu ít nhất một tập dữ liệu hoặc thêm một tệp JSONL.</translation>
    </message>
    <message>
        <source>Cannot create the run folder %1.</source>
        <translation>Không tạo được thư mục lượt chạy %1.</translation>
    </message>
    <message>
        <source>Exporting dataset %1…</source>
        <translation>Đang xuất tập dữ liệu %1…</translation>
    </message>
    <message>
        <source>Training %1…</source>
        <translation>Đang huấn luyện %1…</translation>
    </message>
    <message>
        <source>Stopping: the trainer saves a checkpoint first…</source>
        <translation>Đang dừng: trình huấn luyện lưu checkpoint trước…</translation>
    </message>
    <message>
        <source>This run has no checkpoint to continue from.</source>
        <translation>Lượt chạy này không có checkpoint để tiếp tục.</translation>
    </message>
    <message>
        <source>Resuming %1…</source>
        <translation>Đang tiếp tục %1…</translation>
    </message>
    <message>
        <source>Stopped; the run can be resumed from its last checkpoint.</source>
        <translation>Đã dừng; có thể tiếp tục lượt chạy từ checkpoint gần nhất.</translation>
    </message>
    <message>
        <source>Training finished.</source>
        <translation>Huấn luyện xong.</translation>
    </message>
    <message>
        <source>Training failed: %1</source>
        <translation>Huấn luyện thất bại: %1</translation>
    </message>
    <message>
        <source>Export the model to</source>
        <translation>Xuất mô hình vào</translation>
    </message>
    <message>
        <source>Exporting to %1…</source>
        <translation>Đang xuất vào %1…</translation>
    </message>
    <message>
        <source>Choose a model folder (config.json, *.safetensors)</source>
        <translation>Chọn thư mục mô hình (config.json, *.safetensors)</translation>
    </message>
    <message>
        <source>Add training data</source>
        <translation>Thêm dữ liệu huấn luyện</translation>
    </message>
    <message>
        <source>JSON Lines (*.jsonl *.jsonl.gz);;All files (*)</source>
        <translation>JSON Lines (*.jsonl *.jsonl.gz);;Mọi tệp (*)</translation>
    </message>
    <message>
        <source>Base model</source>
        <translation>Mô hình gốc</translation>
    </message>
    <message>
        <source>Training data</source>
        <translation>Dữ liệu huấn luyện</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Phương pháp</translation>
    </message>
    <message>
        <source>Hyperparameters</source>
        <translation>Siêu tham số</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Thiết bị</translation>
    </message>
    <message>
        <source>&amp;Folder:</source>
        <translation>&amp;Thư mục:</translation>
    </message>
    <message>
        <source>A Hugging Face model folder or a checkpoint</source>
        <translation>Một thư mục mô hình Hugging Face hoặc một checkpoint</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Chọn…</translation>
    </message>
    <message>
        <source>&amp;Preset:</source>
        <translation>&amp;Mẫu thiết lập:</translation>
    </message>
    <message>
        <source>Add JSONL file…</source>
        <translation>Thêm tệp JSONL…</translation>
    </message>
    <message>
        <source>&amp;Method:</source>
        <translation>&amp;Phương pháp:</translation>
    </message>
    <message>
        <source>Supervised fine-tuning (SFT)</source>
        <translation>Tinh chỉnh có giám sát (SFT)</translation>
    </message>
    <message>
        <source>&amp;LoRA (train small adapters; the base model stays frozen)</source>
        <translation>&amp;LoRA (huấn luyện bộ điều hợp nhỏ; mô hình gốc giữ nguyên)</translation>
    </message>
    <message>
        <source>fewer padding tokens</source>
        <translation>ít token đệm hơn</translation>
    </message>
    <message>
        <source>cosine</source>
        <translation>cosin</translation>
    </message>
    <message>
        <source>linear</source>
        <translation>tuyến tính</translation>
    </message>
    <message>
        <source>constant</source>
        <translation>không đổi</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>&amp;Bắt đầu</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>&amp;Dừng</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Tiếp tục</translation>
    </message>
    <message>
        <source>Chat with it</source>
        <translation>Trò chuyện với nó</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Xuất…</translation>
    </message>
    <message>
        <source>Run history</source>
        <translation>Lịch sử chạy</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Nhật ký</translation>
    </message>
    <message>
        <source>This checkpoint is already a complete model folder: %1</source>
        <translation>Checkpoint này đã là một thư mục mô hình đầy đủ: %1</translation>
    </message>
    <message>
        <source>DPO beta:</source>
        <translation>Beta của DPO:</translation>
    </message>
    <message>
        <source>Reward model:</source>
        <translation>Mô hình thưởng:</translation>
    </message>
    <message>
        <source>Samples per prompt:</source>
        <translation>Số mẫu cho mỗi lời nhắc:</translation>
    </message>
    <message>
        <source>KL coefficient:</source>
        <translation>Hệ số KL:</translation>
    </message>
    <message>
        <source>Choose a reward model folder (the output of a reward-model run)</source>
        <translation>Chọn thư mục mô hình thưởng (kết quả của một lần huấn luyện mô hình thưởng)</translation>
    </message>
    <message>
        <source>Choose the reward model that scores the samples.</source>
        <translation>Hãy chọn mô hình thưởng dùng để chấm điểm các mẫu.</translation>
    </message>
    <message>
        <source>Datasets of the project (conversations for SFT and RL, preference pairs for the reward model and DPO) and JSONL files:</source>
        <translation>Tập dữ liệu của dự án (hội thoại cho SFT và RL, cặp ưu tiên cho mô hình thưởng và DPO) và tệp JSONL:</translation>
    </message>
    <message>
        <source>Reward model</source>
        <translation>Mô hình thưởng</translation>
    </message>
    <message>
        <source>DPO (direct preference optimization)</source>
        <translation>DPO (tối ưu hóa ưu tiên trực tiếp)</translation>
    </message>
    <message>
        <source>RL with a reward model</source>
        <translation>RL với mô hình thưởng</translation>
    </message>
    <message>
        <source>A reward model folder</source>
        <translation>Thư mục mô hình thưởng</translation>
    </message>
    <message>
        <source>Evaluate it</source>
        <translation>Đánh giá mô hình này</translation>
    </message>
    <message>
        <source>Gradient checkpointing:</source>
        <translation>Tính lại kích hoạt (gradient checkpointing):</translation>
    </message>
    <message>
        <source>Processes:</source>
        <translation>Số tiến trình:</translation>
    </message>
    <message>
        <source>recompute activations in backward: less memory, about a third slower</source>
        <translation>tính lại kích hoạt khi lan truyền ngược: ít bộ nhớ hơn, chậm hơn khoảng một phần ba</translation>
    </message>
    <message>
        <source>Data-parallel processes: each one holds the whole model and trains on its share of every step, so a step learns from micro-batch × accumulation × processes examples. One per GPU; on a CPU they share its cores.</source>
        <translation>Số tiến trình song song dữ liệu: mỗi tiến trình giữ toàn bộ mô hình và huấn luyện phần việc của mình trong mỗi bước, nên một bước học từ lô nhỏ × số bước tích lũy × số tiến trình ví dụ. Mỗi GPU một tiến trình; trên CPU các tiến trình dùng chung các lõi.</translation>
    </message>
    <message>
        <source>Needs about %1 (weights %2, gradients and optimizer %3, activations %4); the memory of %5 is unknown.</source>
        <translation>Cần khoảng %1 (trọng số %2, gradient và bộ tối ưu %3, kích hoạt %4); chưa biết bộ nhớ của %5.</translation>
    </message>
    <message>
        <source>Needs about %1 (weights %2, gradients and optimizer %3, activations %4); %5 has %6.</source>
        <translation>Cần khoảng %1 (trọng số %2, gradient và bộ tối ưu %3, kích hoạt %4); %5 có %6.</translation>
    </message>
    <message>
        <source>Needs about %1 processes × %2 = %3 (each: weights %4, gradients and optimizer %5, activations %6); this machine has %7.</source>
        <translation>Cần khoảng %1 tiến trình × %2 = %3 (mỗi tiến trình: trọng số %4, gradient và bộ tối ưu %5, kích hoạt %6); máy này có %7.</translation>
    </message>
    <message>
        <source>It will not fit: use LoRA, a smaller micro-batch or sequence length, fewer processes, or a bigger machine.</source>
        <translation>Không đủ bộ nhớ: hãy dùng LoRA, micro-batch hoặc độ dài chuỗi nhỏ hơn, ít tiến trình hơn, hoặc một máy lớn hơn.</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::TrainingSourceModel</name>
    <message>
        <source>File: %1</source>
        <translation>Tệp: %1</translation>
    </message>
    <message>
        <source>%1 (%2 records)</source>
        <translation>%1 (%2 bản ghi)</translation>
    </message>
</context>
<context>
    <name>vietllm::widgets::TurnListModel</name>
    <message>
        <source>Role</source>
        <translation>Vai trò</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Văn bản</translation>
    </message>
    <message>
        <source>system</source>
        <translation>hệ thống</translation>
    </message>
    <message>
        <source>user</source>
        <translation>người dùng</translation>
    </message>
    <message>
        <source>assistant</source>
        <translation>trợ lý</translation>
    </message>
</context>
</TS>
